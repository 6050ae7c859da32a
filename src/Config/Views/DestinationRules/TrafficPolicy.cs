using System.Text.Json.Nodes;

namespace Mesh.Config.Views.DestinationRules;

/// <summary>Istio's <c>TrafficPolicy</c>: each setting left out is null (inherited from the layer above, or Istio's
/// default), and the settings for single ports.</summary>
public sealed record TrafficPolicy
{
    public LoadBalancerSettings? LoadBalancer { get; init; }
    public ConnectionPoolSettings? ConnectionPool { get; init; }
    public OutlierDetection? OutlierDetection { get; init; }
    public ClientTlsSettings? Tls { get; init; }
    public IReadOnlyList<PortTrafficPolicy> PortLevelSettings { get; init; } = [];

    internal static TrafficPolicy? From(JsonObject? policy) => policy is null ? null : new()
    {
        LoadBalancer = LoadBalancerSettings.From(policy.Obj("loadBalancer")),
        ConnectionPool = ConnectionPoolSettings.From(policy.Obj("connectionPool")),
        OutlierDetection = OutlierDetection.From(policy.Obj("outlierDetection")),
        Tls = ClientTlsSettings.From(policy.Obj("tls")),
        PortLevelSettings = [.. policy.Objects("portLevelSettings").Select(PortTrafficPolicy.From)],
    };
}

/// <summary>The settings of one port, which replace the policy's own for it.</summary>
public sealed record PortTrafficPolicy(
    int? Port, LoadBalancerSettings? LoadBalancer, ConnectionPoolSettings? ConnectionPool, OutlierDetection? OutlierDetection, ClientTlsSettings? Tls)
{
    internal static PortTrafficPolicy From(JsonObject policy) => new(
        (int?)policy.Obj("port").Long("number"),
        LoadBalancerSettings.From(policy.Obj("loadBalancer")),
        ConnectionPoolSettings.From(policy.Obj("connectionPool")),
        OutlierDetection.From(policy.Obj("outlierDetection")),
        ClientTlsSettings.From(policy.Obj("tls")));
}
