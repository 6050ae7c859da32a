using System.Text.Json.Nodes;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation;

/// <summary>The DestinationRule settings that apply to one cluster, merged as Istio does: the rule's trafficPolicy,
/// then its portLevelSettings for the port, then the subset's trafficPolicy and its portLevelSettings; each layer
/// replaces whole fields (loadBalancer, connectionPool, outlierDetection, tls).</summary>
internal sealed record TrafficPolicy(JsonObject? LoadBalancer, JsonObject? ConnectionPool, JsonObject? OutlierDetection, JsonObject? Tls = null)
{
    public static readonly TrafficPolicy None = new(null, null, null);

    /// <summary>The first DestinationRule (by key) of the model, parsed; null when there is none.</summary>
    public static JsonObject? Rule(ServiceModel model)
        => model.DestinationRules.Count == 0 ? null : JsonNode.Parse(model.DestinationRules[0].SpecJson) as JsonObject;

    /// <summary>The policy for (port, subset), or null when <paramref name="subset"/> is not one of the rule's subsets.</summary>
    public static TrafficPolicy? Resolve(JsonObject? rule, int port, string subset)
    {
        var policy = None.Apply(rule.Obj("trafficPolicy"), port);
        if (subset.Length == 0) return policy;
        var definition = rule.Objects("subsets").FirstOrDefault(s => s.Str("name") == subset);
        return definition is null ? null : policy.Apply(definition.Obj("trafficPolicy"), port);
    }

    private TrafficPolicy Apply(JsonObject? layer, int port)
    {
        if (layer is null) return this;
        var merged = Override(layer);
        var portLevel = layer.Objects("portLevelSettings").FirstOrDefault(p => p.Obj("port").Long("number") == port);
        return portLevel is null ? merged : merged.Override(portLevel);
    }

    private TrafficPolicy Override(JsonObject layer) => new(
        layer.Obj("loadBalancer") ?? LoadBalancer,
        layer.Obj("connectionPool") ?? ConnectionPool,
        layer.Obj("outlierDetection") ?? OutlierDetection,
        layer.Obj("tls") ?? Tls);
}
