using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation.Schemas;

namespace Mesh.Kubernetes.Crds;

/// <summary>The <c>apiextensions.k8s.io/v1</c> CustomResourceDefinitions of Istio's kinds and Mesh's own, generated from
/// <see cref="ResourceKinds"/> (names, groups, versions) and Mesh's validation schema (the spec). The Gateway API's kinds
/// are left to the Gateway API project's own CRDs, which clusters install from its releases.</summary>
public static class CustomResourceDefinitions
{
    /// <summary>How to rewrite the checked-in manifests; the drift test names it.</summary>
    public const string RegenerateCommand = "dotnet run --project src/Cli -- manifest crds -o deploy/k8s/crds.yaml";

    private static readonly string[] OwnGroups = ["networking.istio.io", "security.istio.io", "policy.mesh.dev"];

    /// <summary>The kinds this generator defines, in <see cref="ResourceKinds.All"/>'s order.</summary>
    public static IReadOnlyList<ResourceKind> Kinds { get; } = [.. ResourceKinds.All.Where(k => OwnGroups.Contains(k.Group))];

    public static JsonObject For(ResourceKind kind)
    {
        var versions = new JsonArray();
        foreach (var version in kind.Versions)
        {
            versions.Add(new JsonObject
            {
                ["name"] = version,
                ["served"] = true,
                // One storage version: the one Mesh writes back. The API server converts the others (same schema, no webhook).
                ["storage"] = version == kind.PreferredVersion,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["additionalPrinterColumns"] = PrinterColumns.For(kind),
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = RootSchema(kind) },
            });
        }
        var singular = kind.ManifestKind.ToLowerInvariant();
        var names = new JsonObject
        {
            ["kind"] = kind.ManifestKind,
            ["listKind"] = $"{kind.ManifestKind}List",
            ["plural"] = kind.Plural,
            ["singular"] = singular,
            ["categories"] = new JsonArray([.. Categories(kind).Select(c => JsonValue.Create(c))]),
        };
        if (kind.ShortNames.Count > 0) names["shortNames"] = new JsonArray([.. kind.ShortNames.Select(s => JsonValue.Create(s))]);
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{kind.Plural}.{kind.Group}",
                ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "mesh", ["app.kubernetes.io/component"] = "crds" },
            },
            ["spec"] = new JsonObject
            {
                ["group"] = kind.Group,
                ["names"] = names,
                ["scope"] = kind.ClusterScoped ? "Cluster" : "Namespaced",
                ["versions"] = versions,
            },
        };
    }

    /// <summary>Every CRD as one YAML stream, the content of <c>deploy/k8s/crds.yaml</c>.</summary>
    public static string Yaml() =>
        $"# Generated from Mesh's validation schema by `{RegenerateCommand}`. Do not edit.\n"
        + ManifestWriter.ToYaml(Kinds.Select(For));

    private static JsonObject RootSchema(ResourceKind kind) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["spec"] = StructuralSchema.Of(KindSchemas.For(kind)),
            // Written by the status writer, read by kubectl; Mesh owns its shape (conditions, proxies' NACKs).
            ["status"] = new JsonObject { ["type"] = "object", [StructuralSchema.PreserveUnknownFields] = true },
        },
    };

    /// <summary><c>kubectl get istio-io</c> lists every Istio kind, as with Istio's own CRDs.</summary>
    private static IEnumerable<string> Categories(ResourceKind kind)
    {
        if (kind.Group.EndsWith(".istio.io", StringComparison.Ordinal)) yield return "istio-io";
        yield return kind.Group.Replace('.', '-');
    }
}
