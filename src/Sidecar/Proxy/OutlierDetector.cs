using Mesh.Sidecar.Config;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Mesh.Sidecar.Proxy;

/// <summary>Envoy's consecutive-error outlier detection: an endpoint that answers <c>consecutive_5xx</c> 5xx in a row
/// (or <c>consecutive_gateway_failure</c> 502/503/504 or connection failures) is ejected for base ejection time ×
/// the times it was ejected, never more than <c>max_ejection_percent</c> of the cluster at once (but always one).
/// The ejection is a passive health verdict in YARP, which takes the endpoint out of the available set and brings it
/// back when the period ends.</summary>
public sealed partial class OutlierDetector(IDestinationHealthUpdater health, SidecarMetrics metrics, ILogger<OutlierDetector> logger)
{
    /// <summary>Records one attempt's outcome: <paramref name="status"/> is the upstream status, or 0 for a connection
    /// failure or reset.</summary>
    public void Record(UpstreamCluster cluster, ClusterRuntime runtime, ClusterState? state, DestinationState destination, int status)
    {
        var endpoint = runtime.Endpoint(destination.DestinationId);
        Interlocked.Increment(ref endpoint.Requests);
        var fiveXx = status >= 500 || status == 0;
        var gateway = status is 0 or 502 or 503 or 504;
        if (!fiveXx)
        {
            Volatile.Write(ref endpoint.Consecutive5xx, 0);
            Volatile.Write(ref endpoint.ConsecutiveGatewayFailures, 0);
            return;
        }
        Interlocked.Increment(ref endpoint.Failures);
        if (cluster.Outlier is not { } policy || state is null) return;
        var consecutive = Interlocked.Increment(ref endpoint.Consecutive5xx);
        var gateways = gateway ? Interlocked.Increment(ref endpoint.ConsecutiveGatewayFailures) : Volatile.Read(ref endpoint.ConsecutiveGatewayFailures);
        var trip = (policy.Enforce5xx && policy.Consecutive5xx > 0 && consecutive >= policy.Consecutive5xx)
            || (policy.EnforceGatewayFailure && policy.ConsecutiveGatewayFailure > 0 && gateways >= policy.ConsecutiveGatewayFailure);
        if (trip) Eject(policy, runtime, state, destination, endpoint);
    }

    private void Eject(OutlierPolicy policy, ClusterRuntime runtime, ClusterState state, DestinationState destination, EndpointRuntime endpoint)
    {
        lock (runtime)
        {
            if (endpoint.Ejected) return;
            var total = state.DestinationsState.AllDestinations.Count;
            var ejected = state.DestinationsState.AllDestinations.Count(d => runtime.Endpoint(d.DestinationId).Ejected);
            if (ejected > 0 && (ejected + 1) * 100 > total * policy.MaxEjectionPercent)
            {
                LogEjectionLimited(logger, runtime.Name, destination.DestinationId, policy.MaxEjectionPercent);
                return;
            }
            endpoint.TimesEjected++;
            // Both times are bounded (DurationBounds); the product saturates instead of overflowing.
            var multiplied = policy.BaseEjectionTime.Ticks > long.MaxValue / endpoint.TimesEjected ? long.MaxValue : policy.BaseEjectionTime.Ticks * endpoint.TimesEjected;
            var period = TimeSpan.FromTicks(Math.Min(multiplied, Math.Max(policy.MaxEjectionTime.Ticks, policy.BaseEjectionTime.Ticks)));
            endpoint.EjectedUntil = DateTimeOffset.UtcNow + period;
            endpoint.Consecutive5xx = 0;
            endpoint.ConsecutiveGatewayFailures = 0;
            health.SetPassive(state, destination, DestinationHealth.Unhealthy, period);
            metrics.Ejected(runtime.Name);
            LogEjected(logger, destination.DestinationId, runtime.Name, period);
        }
    }

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Ejected endpoint {Endpoint} of {Cluster} for {Period} (consecutive errors)")]
    private static partial void LogEjected(ILogger logger, string endpoint, string cluster, TimeSpan period);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Did not eject {Endpoint} of {Cluster}: {Percent}% of its endpoints are ejected already")]
    private static partial void LogEjectionLimited(ILogger logger, string cluster, string endpoint, int percent);
}
