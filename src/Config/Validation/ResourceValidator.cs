using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Schemas;

namespace Mesh.Config.Validation;

/// <summary>Validates one document against the schema and rules of its kind, reporting every error at once.
/// The same code runs in <c>meshctl validate</c> and in the server.</summary>
public static class ResourceValidator
{
    private static readonly string[] TopLevel = ["apiVersion", "kind", "metadata", "spec", "status"];

    /// <param name="root">The whole document (<c>apiVersion</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c>).</param>
    /// <param name="defaultNamespace">Namespace for a document whose metadata names none.</param>
    /// <param name="documentIndex">Position in its manifest, for naming an unnamed document.</param>
    public static ValidationResult Validate(JsonObject root, string defaultNamespace = "default", int documentIndex = 0)
    {
        var problems = new Problems();
        foreach (var (field, _) in root)
        {
            if (!TopLevel.Contains(field))
            {
                problems.Error(FieldPath.Field("", field), Suggestions.UnknownField(field, TopLevel));
            }
        }
        var (kind, apiVersion) = ReadKind(root, problems);
        var metadata = MetadataReader.Read(root["metadata"], defaultNamespace, problems);
        // kubectl ignores the namespace of a cluster-scoped object; Mesh keeps all of them in one namespace.
        if (kind is { ClusterScoped: true } && metadata is not null) metadata = metadata with { Namespace = kind.StoredNamespace(metadata.Namespace) };
        var spec = root["spec"];
        if (spec is null) problems.Error("spec", "required");
        else if (spec is not JsonObject) problems.Error("spec", $"expected an object, got {FieldPath.Describe(spec)}");
        else if (kind is not null) KindSchemas.For(kind).Check(spec, "spec", problems);

        var displayName = DisplayName(kind, root, metadata, defaultNamespace, documentIndex);
        var resource = problems.Errors.Count == 0 && kind is not null && metadata is not null
            ? new Resource(kind, apiVersion!, metadata, (JsonObject)spec!.DeepClone())
            : null;
        return new ValidationResult(resource, problems.Errors) { DisplayName = displayName };
    }

    private static (ResourceKind? Kind, string? ApiVersion) ReadKind(JsonObject root, Problems problems)
    {
        var apiVersion = ReadString(root, "apiVersion", problems);
        var kindName = ReadString(root, "kind", problems);
        if (apiVersion is null || kindName is null) return (null, null);
        if (ResourceKinds.FromDocument(apiVersion, kindName) is { } kind) return (kind, apiVersion);
        if (ResourceKinds.FromManifestKind(kindName) is { Count: > 0 } known)
        {
            var accepted = string.Join(", ", known.SelectMany(k => k.Versions.Select(v => $"{k.Group}/{v}")));
            problems.Error("apiVersion", $"{kindName} is served as {accepted}, not \"{Rules.Names.Short(apiVersion)}\"");
        }
        else
        {
            var served = string.Join(", ", ResourceKinds.All.Select(k => k.ManifestKind).Distinct());
            var closest = Suggestions.Closest(kindName, ResourceKinds.All.Select(k => k.ManifestKind));
            var hint = closest is null ? "" : $" (did you mean \"{closest}\"?)";
            problems.Error("kind", $"unknown kind \"{Rules.Names.Short(kindName)}\"{hint}; Mesh serves {served}");
        }
        return (null, null);
    }

    private static string? ReadString(JsonObject root, string field, Problems problems)
    {
        if (root[field] is null)
        {
            problems.Error(field, "required");
            return null;
        }
        if (!FieldPath.IsString(root[field], out var text))
        {
            problems.Error(field, $"expected a string, got {FieldPath.Describe(root[field])}");
            return null;
        }
        return text;
    }

    private static string DisplayName(ResourceKind? kind, JsonObject root, ResourceMetadata? metadata, string defaultNamespace, int index)
    {
        if (metadata is not null && kind is not null) return $"{kind.Kind} {metadata.Namespace}/{metadata.Name}";
        var name = MetadataReader.PeekName(root["metadata"]);
        var kindName = kind?.Kind ?? (FieldPath.IsString(root["kind"], out var k) && k.Length is > 0 and <= 63 ? k : null);
        if (name is null || kindName is null) return $"document {index + 1}";
        var ns = FieldPath.IsString(FieldPath.Get(root, "metadata", "namespace"), out var n) ? Rules.Names.Short(n) : defaultNamespace;
        return $"{Rules.Names.Short(kindName)} {ns}/{name}";
    }
}
