using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Config.Keys;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Grains.Config;
using Mesh.Grains.Secrets;
using Mesh.Grains.Services;

namespace Mesh.Grains.GatewayApi;

/// <summary>Gathers what the conversion reads besides the Gateway API resources themselves: the TLS secrets the
/// Gateways' listeners name, from the secret directories of the namespaces they name, and the Services the routes send
/// to, from those services' grains (which ServiceEntries of the namespaces the routes name define each host). A service
/// grain never waits on another grain, so a ServiceEntry's reconcile may wait on the conversion without a cycle (its
/// config grain would be one). <see cref="GatewayApiReads"/> says which namespaces' changes the result depends on.</summary>
internal static class GatewayApiSources
{
    public static async Task<(GatewayApiInput Input, GatewayApiReads Reads)> Input(IGrainFactory grains, IReadOnlyCollection<StoredConfig> stored,
        IReadOnlyDictionary<string, JsonObject> previousStatus, DateTimeOffset now)
    {
        var objects = stored.Select(Object).OfType<GatewayApiObject>().ToList();
        List<GatewayApiObject> Of(string kind) => [.. objects.Where(o => o.Resource.Kind.Kind == kind).OrderBy(o => o.Key, StringComparer.Ordinal)];
        var (gateways, httpRoutes, grpcRoutes) = (Of(KindNames.GatewayApiGateway), Of(KindNames.HttpRoute), Of(KindNames.GrpcRoute));
        var routes = httpRoutes.Concat(grpcRoutes).ToList();
        var reads = new GatewayApiReads(
            gateways.SelectMany(GatewayApiReferences.SecretNamespaces).ToHashSet(StringComparer.Ordinal),
            routes.SelectMany(GatewayApiReferences.BackendNamespaces).ToHashSet(StringComparer.Ordinal));
        var input = new GatewayApiInput
        {
            GatewayClasses = Of(KindNames.GatewayClass),
            Gateways = gateways,
            HttpRoutes = httpRoutes,
            GrpcRoutes = grpcRoutes,
            ReferenceGrants = Of(KindNames.ReferenceGrant),
            Secrets = await Secrets(grains, reads.SecretNamespaces),
            ServiceHosts = await ServiceHosts(grains, routes.SelectMany(GatewayApiReferences.BackendHosts), reads.ServiceNamespaces),
            // Mesh keeps no namespace objects yet: allowedRoutes selectors see every namespace without labels.
            NamespaceLabels = new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            PreviousStatus = previousStatus,
            Now = now,
        };
        return (input, reads);
    }

    private static GatewayApiObject? Object(StoredConfig config)
    {
        if (ResourceKinds.FromKindName(config.Kind) is not { } kind) return null;
        var metadata = new ResourceMetadata { Name = config.Name, Namespace = config.Namespace, Labels = config.Labels, Annotations = config.Annotations };
        var spec = JsonNode.Parse(config.SpecJson) as JsonObject ?? [];
        return new GatewayApiObject(new Resource(kind, config.ApiVersion, metadata, spec), config.Generation, config.CreatedAt);
    }

    private static async Task<IReadOnlySet<string>> Secrets(IGrainFactory grains, IEnumerable<string> namespaces)
    {
        var listed = await Task.WhenAll(namespaces.Select(ns => grains.GetGrain<ISecretDirectoryGrain>(ns).List()));
        return listed.SelectMany(l => l).Where(s => s.Keys.Contains("tls.crt") && s.Keys.Contains("tls.key"))
            .Select(s => GatewayApiInput.SecretKey(s.Namespace, s.Name)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The hosts among <paramref name="hosts"/> that a ServiceEntry of one of <paramref name="namespaces"/> defines.</summary>
    private static async Task<IReadOnlySet<string>> ServiceHosts(IGrainFactory grains, IEnumerable<string> hosts, IReadOnlySet<string> namespaces)
    {
        var candidates = hosts.Distinct(StringComparer.Ordinal).ToList();
        var references = await Task.WhenAll(candidates.Select(host => grains.GetGrain<IServiceGrain>(host).GetReferences()));
        return candidates.Where((_, i) => references[i].ServiceEntries.Any(key => namespaces.Contains(ResourceKey.Parse(key).Namespace)))
            .ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>The namespaces whose secrets and whose ServiceEntries a conversion read: a change anywhere else cannot change it.</summary>
internal sealed record GatewayApiReads(IReadOnlySet<string> SecretNamespaces, IReadOnlySet<string> ServiceNamespaces);
