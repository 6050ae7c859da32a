using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Mesh.Config.Views.DestinationRules;

namespace Mesh.Xds.Translation;

/// <summary>A DestinationRule's <c>connectionPool</c> → circuit breaker thresholds. As Istio does, limits that are not
/// set are effectively unlimited rather than Envoy's 1024 (gRPC clients read max_requests, gRFC A32).</summary>
internal static class ConnectionPoolTranslator
{
    public static CircuitBreakers Translate(ConnectionPoolSettings? connectionPool)
    {
        var thresholds = new CircuitBreakers.Types.Thresholds
        {
            Priority = RoutingPriority.Default,
            MaxRequests = Limit(connectionPool?.Http2MaxRequests),
            MaxPendingRequests = Limit(connectionPool?.Http1MaxPendingRequests),
            MaxRetries = Limit(connectionPool?.MaxRetries),
            MaxConnections = Limit(connectionPool?.MaxConnections),
        };
        var breakers = new CircuitBreakers();
        breakers.Thresholds.Add(thresholds);
        return breakers;
    }

    /// <summary>Istio reads 0 (and unset) as "no limit".</summary>
    private static uint Limit(long? value) => value is > 0 ? (uint)Math.Min(value.Value, uint.MaxValue) : uint.MaxValue;
}
