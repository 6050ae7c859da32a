using System.Collections.Immutable;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Mesh.Xds.Resources;
using Route = Envoy.Config.Route.V3.Route;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles received resources into a <see cref="ProxyModel"/>, or says exactly what it cannot apply
/// (resource, field path, reason): the NACK's error text. Everything a request will need is checked here, so that a
/// model that compiles never fails a request for a config reason. Each resource type has its compiler (listeners,
/// routes, clusters with their endpoints, trust, the inbound listener); this is the order they run in.</summary>
public static class ModelCompiler
{
    public static (ProxyModel? Model, IReadOnlyList<string> Errors) Compile(ResourceSet resources)
    {
        var errors = new List<string>();
        var routes = ImmutableDictionary.CreateBuilder<string, RouteTable>(StringComparer.Ordinal);
        foreach (var (name, resource) in resources.Of(TypeUrls.Route))
        {
            if (RouteCompiler.Compile((RouteConfiguration)resource.Message, $"RouteConfiguration {name}", errors) is { } table) routes[name] = table;
        }
        var listeners = ImmutableDictionary.CreateBuilder<string, ListenerModel>(StringComparer.Ordinal);
        InboundModel? inbound = null;
        foreach (var (name, resource) in resources.Of(TypeUrls.Listener))
        {
            if (InboundListenerName.IsInbound(name)) inbound = InboundCompiler.Compile((Listener)resource.Message, errors);
            else if (ListenerCompiler.Compile((Listener)resource.Message, errors) is { } listener) listeners[name] = listener;
        }
        var trust = TrustCompiler.Compile(resources, errors);
        var clusters = ImmutableDictionary.CreateBuilder<string, UpstreamCluster>(StringComparer.Ordinal);
        foreach (var (name, resource) in resources.Of(TypeUrls.Cluster))
        {
            var cluster = (Cluster)resource.Message;
            var serviceName = cluster.EdsClusterConfig?.ServiceName is { Length: > 0 } service ? service : name;
            var assignment = cluster.Type == Cluster.Types.DiscoveryType.Eds
                ? resources.Get<ClusterLoadAssignment>(TypeUrls.Endpoint, serviceName)
                : cluster.LoadAssignment;
            var version = resources.Of(TypeUrls.Endpoint).TryGetValue(serviceName, out var eds) ? eds.Version : resource.Version;
            if (ClusterCompiler.Compile(cluster, assignment, errors) is { } model) clusters[name] = model with { EndpointsVersion = version };
        }
        return errors.Count > 0 ? (null, errors)
            : (new ProxyModel(resources, listeners.ToImmutable(), routes.ToImmutable(), clusters.ToImmutable()) { Inbound = inbound, TrustedRoots = trust }, errors);
    }

    /// <summary>The RDS name a listener uses, or null when it has none (inline routes, or not an HTTP listener).</summary>
    public static string? RouteNameOf(Listener listener) => ListenerCompiler.Manager(listener) is { RouteSpecifierCase: HttpConnectionManager.RouteSpecifierOneofCase.Rds } manager
        ? manager.Rds.RouteConfigName
        : null;

    /// <summary>The clusters a route configuration can send to (routes and mirrors).</summary>
    public static IEnumerable<string> ClustersOf(RouteConfiguration routes)
        => routes.VirtualHosts.SelectMany(v => v.Routes)
            .Where(r => r.ActionCase == Route.ActionOneofCase.Route_)
            .SelectMany(r => (r.Route_.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.WeightedClusters
                    ? r.Route_.WeightedClusters.Clusters.Select(c => c.Name)
                    : [r.Route_.Cluster])
                .Concat(r.Route_.RequestMirrorPolicies.Select(m => m.Cluster)))
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal);

    /// <summary>The EDS name of a cluster, or null when it takes no EDS.</summary>
    public static string? EndpointNameOf(Cluster cluster) => cluster.Type == Cluster.Types.DiscoveryType.Eds
        ? cluster.EdsClusterConfig?.ServiceName is { Length: > 0 } service ? service : cluster.Name
        : null;
}
