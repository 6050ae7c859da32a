using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Grains.Config;
using Mesh.Grains.Secrets;
using Mesh.Grains.Services;

namespace Mesh.Grains.GatewayApi;

/// <summary>Gathers what the conversion reads besides the Gateway API resources themselves: the TLS secrets the
/// Gateways' listeners name and the Services the routes send to, read from their sources of truth (the secret
/// directories, the ServiceEntries' config grains) for the namespaces those references name, and nothing else.</summary>
internal static class GatewayApiSources
{
    public static async Task<GatewayApiInput> Input(IGrainFactory grains, IReadOnlyCollection<StoredConfig> stored,
        IReadOnlyDictionary<string, JsonObject> previousStatus, DateTimeOffset now)
    {
        var objects = stored.Select(Object).OfType<GatewayApiObject>().ToList();
        List<GatewayApiObject> Of(string kind) => [.. objects.Where(o => o.Resource.Kind.Kind == kind).OrderBy(o => o.Key, StringComparer.Ordinal)];
        var (gateways, httpRoutes, grpcRoutes) = (Of(KindNames.GatewayApiGateway), Of(KindNames.HttpRoute), Of(KindNames.GrpcRoute));
        var secretNamespaces = gateways.SelectMany(GatewayApiReferences.SecretNamespaces).Distinct(StringComparer.Ordinal);
        var serviceNamespaces = httpRoutes.Concat(grpcRoutes).SelectMany(GatewayApiReferences.BackendNamespaces).Distinct(StringComparer.Ordinal);
        return new GatewayApiInput
        {
            GatewayClasses = Of(KindNames.GatewayClass),
            Gateways = gateways,
            HttpRoutes = httpRoutes,
            GrpcRoutes = grpcRoutes,
            ReferenceGrants = Of(KindNames.ReferenceGrant),
            Secrets = await Secrets(grains, secretNamespaces),
            ServiceHosts = await ServiceHosts(grains, serviceNamespaces),
            // Mesh keeps no namespace objects yet: allowedRoutes selectors see every namespace without labels.
            NamespaceLabels = new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            PreviousStatus = previousStatus,
            Now = now,
        };
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

    private static async Task<IReadOnlySet<string>> ServiceHosts(IGrainFactory grains, IEnumerable<string> namespaces)
    {
        var entries = await Task.WhenAll(namespaces.Select(ns => grains.ReadConfigs(KindNames.ServiceEntry, ns)));
        return entries.SelectMany(e => e).SelectMany(ServiceEntryReader.Hosts).ToHashSet(StringComparer.Ordinal);
    }
}
