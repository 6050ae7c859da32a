using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;

namespace Mesh.Kubernetes.Registry;

/// <summary>The documents the registry makes, and their passage through Mesh's own validator: the config grains get
/// exactly what the management API would have accepted, and a Kubernetes object that makes an invalid resource is
/// reported with the field of that object at fault.</summary>
internal static class RegistryDocuments
{
    public static JsonObject Document(ResourceKind kind, string name, string @namespace, IReadOnlyDictionary<string, string>? labels, JsonObject spec)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["annotations"] = new JsonObject { [SourceAnnotation.Key] = SourceAnnotation.Kubernetes },
        };
        if (labels is { Count: > 0 }) metadata["labels"] = Map(labels);
        return new JsonObject
        {
            ["apiVersion"] = kind.PreferredApiVersion,
            ["kind"] = kind.ManifestKind,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    /// <summary>The validated resource, or null with every problem added to <paramref name="problems"/>.</summary>
    /// <param name="source">The Kubernetes object it came from (<c>Service bookinfo/reviews</c>).</param>
    public static Resource? Validate(JsonObject document, string source, ICollection<RegistryProblem> problems)
    {
        var result = ResourceValidator.Validate(document);
        if (result.IsValid) return result.Resource;
        foreach (var error in result.Errors) problems.Add(new RegistryProblem(source, Locate(error, result.DisplayName)));
        return null;
    }

    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    /// <summary>A field of the generated resource, named as the field of the Kubernetes object it came from where
    /// there is one (the exportTo annotation); otherwise as the generated resource's own field.</summary>
    private static FieldError Locate(FieldError error, string generated)
    {
        const string exportTo = "spec.exportTo";
        return error.Path.StartsWith(exportTo, StringComparison.Ordinal)
            ? new FieldError($"metadata.annotations[{RegistryNames.ExportToAnnotation}]", error.Reason)
            : new FieldError($"({generated}) {error.Path}", error.Reason);
    }
}
