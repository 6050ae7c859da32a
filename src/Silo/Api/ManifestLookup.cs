using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

/// <summary>What the reference checker sees during an apply: the stored resources, overlaid with the
/// manifest's own documents (a VirtualService and the DestinationRule it needs often arrive together).</summary>
public sealed class ManifestLookup(IReadOnlyList<Resource> manifest, ConfigCatalog catalog) : IConfigLookup
{
    public async ValueTask<IReadOnlyList<Resource>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default)
    {
        var stored = await catalog.List(kind, @namespace);
        var fromManifest = manifest.Where(r => r.Kind.Kind == kind && (@namespace is null || r.Metadata.Namespace == @namespace)).ToList();
        var keys = fromManifest.Select(r => r.Key).ToHashSet();
        return [.. fromManifest, .. stored.Where(c => !keys.Contains(c.Key)).Select(ToResource).OfType<Resource>()];
    }

    private static Resource? ToResource(StoredConfig config)
    {
        var kind = ResourceKinds.FromKindName(config.Kind);
        if (kind is null || JsonNode.Parse(config.SpecJson) is not JsonObject spec) return null;
        var metadata = new ResourceMetadata
        {
            Name = config.Name,
            Namespace = config.Namespace,
            Labels = config.Labels,
            Annotations = config.Annotations,
        };
        return new Resource(kind, config.ApiVersion, metadata, spec);
    }
}
