using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Mesh.Xds.Resources;
using Route = Envoy.Config.Route.V3.Route;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles received resources into a <see cref="ProxyModel"/>, or says exactly what it cannot apply
/// (resource, field path, reason): the NACK's error text. Everything a request will need is checked here, so that a
/// model that compiles never fails a request for a config reason. Each resource type has its compiler (listeners,
/// routes, clusters with their endpoints, trust, the inbound listener); this is the order they run in. An update
/// compiles only what it changed (<see cref="ModelUpdate"/>).</summary>
public static class ModelCompiler
{
    /// <summary>Compiles every resource of <paramref name="resources"/>.</summary>
    public static (ProxyModel? Model, IReadOnlyList<string> Errors) Compile(ResourceSet resources)
    {
        var update = new ModelUpdate(ProxyModel.Empty, resources);
        foreach (var name in resources.Of(TypeUrls.Route).Keys) update.Touch(TypeUrls.Route, name);
        foreach (var name in resources.Of(TypeUrls.Listener).Keys) update.Touch(TypeUrls.Listener, name);
        update.Touch(TypeUrls.Secret, SecretNames.RootCa);
        foreach (var name in resources.Of(TypeUrls.Secret).Keys.Where(n => n != SecretNames.RootCa)) update.Touch(TypeUrls.Secret, name);
        foreach (var name in resources.Of(TypeUrls.Cluster).Keys) update.Touch(TypeUrls.Cluster, name);
        return (update.Model, update.Errors);
    }

    /// <summary>Compiles <paramref name="resources"/>, which differ from <paramref name="previous"/>'s only in the
    /// <paramref name="names"/> of <paramref name="type"/>: those (and what depends on them) are compiled, every other
    /// compiled object is the previous model's own.</summary>
    public static (ProxyModel? Model, IReadOnlyList<string> Errors) Compile(ProxyModel previous, ResourceSet resources, string type, IEnumerable<string> names)
    {
        var update = new ModelUpdate(previous, resources);
        // Once each: a name's references are counted once per resource.
        foreach (var name in names.Distinct(StringComparer.Ordinal)) update.Touch(type, name);
        // What compiled before compiles again, so the errors are those of the names touched; the NACK lists them as a
        // whole compile does, in its order.
        return update.Errors.Count == 0 ? (update.Model, update.Errors) : Compile(resources);
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
