using Mesh.Config.Views.DestinationRules;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation;

/// <summary>The DestinationRule settings that apply to one cluster, merged as Istio does: the rule's trafficPolicy,
/// then its portLevelSettings for the port, then the subset's trafficPolicy and its portLevelSettings; each layer
/// replaces whole fields (loadBalancer, connectionPool, outlierDetection, tls).</summary>
internal sealed record ClusterPolicy(
    LoadBalancerSettings? LoadBalancer, ConnectionPoolSettings? ConnectionPool, OutlierDetection? OutlierDetection, ClientTlsSettings? Tls = null)
{
    public static readonly ClusterPolicy None = new(null, null, null);

    /// <summary>The first DestinationRule (by key) of the model; null when there is none.</summary>
    public static DestinationRuleView? Rule(ServiceModel model)
        => model.DestinationRules.Count == 0 ? null : SpecViews.DestinationRule(model.DestinationRules[0]);

    /// <summary>The policy for (port, subset), or null when <paramref name="subset"/> is not one of the rule's subsets.</summary>
    public static ClusterPolicy? Resolve(DestinationRuleView? rule, int port, string subset)
    {
        var policy = None.Apply(rule?.TrafficPolicy, port);
        if (subset.Length == 0) return policy;
        var definition = rule?.Subsets.FirstOrDefault(s => s.Name == subset);
        return definition is null ? null : policy.Apply(definition.TrafficPolicy, port);
    }

    private ClusterPolicy Apply(TrafficPolicy? layer, int port)
    {
        if (layer is null) return this;
        var merged = Override(layer.LoadBalancer, layer.ConnectionPool, layer.OutlierDetection, layer.Tls);
        var portLevel = layer.PortLevelSettings.FirstOrDefault(p => p.Port == port);
        return portLevel is null ? merged : merged.Override(portLevel.LoadBalancer, portLevel.ConnectionPool, portLevel.OutlierDetection, portLevel.Tls);
    }

    private ClusterPolicy Override(LoadBalancerSettings? loadBalancer, ConnectionPoolSettings? pool, OutlierDetection? outlier, ClientTlsSettings? tls)
        => new(loadBalancer ?? LoadBalancer, pool ?? ConnectionPool, outlier ?? OutlierDetection, tls ?? Tls);
}
