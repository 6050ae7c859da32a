using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Grains.Config;
using Mesh.Grains.Services;

namespace Mesh.Silo.Api;

/// <summary>What the reference checker sees during an apply: the stored resources, overlaid with the
/// manifest's own documents (a VirtualService and the DestinationRule it needs often arrive together).
/// Host questions go to the host's service grain, so an apply reads a few resources, not the whole mesh.</summary>
public sealed class ManifestLookup(IReadOnlyList<Resource> manifest, ConfigCatalog catalog, IGrainFactory grains) : IConfigLookup
{
    public async ValueTask<IReadOnlyList<Resource>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default)
    {
        var stored = await catalog.List(kind, @namespace);
        return Overlay(kind, stored, r => @namespace is null || r.Metadata.Namespace == @namespace);
    }

    public async ValueTask<IReadOnlyList<Resource>> ListForHostAsync(string kind, string host, CancellationToken cancellationToken = default)
    {
        var references = await grains.GetGrain<IServiceGrain>(host).GetReferences();
        var keys = kind == ResourceKinds.DestinationRule.Kind ? references.DestinationRules : references.ServiceEntries;
        var stored = await Task.WhenAll(keys.Select(key => grains.GetGrain<IConfigGrain>(key).Get()));
        return Overlay(kind, stored.OfType<StoredConfig>().ToList(), r => HostReferences.Of(r).Contains(host, StringComparer.Ordinal));
    }

    private IReadOnlyList<Resource> Overlay(string kind, IReadOnlyList<StoredConfig> stored, Func<Resource, bool> wanted)
    {
        var fromManifest = manifest.Where(r => r.Kind.Kind == kind && wanted(r)).ToList();
        var keys = manifest.Select(r => r.Key).ToHashSet();
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
