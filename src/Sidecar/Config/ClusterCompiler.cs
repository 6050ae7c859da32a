using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Mesh.Xds.Resources;
using EnvoyCore = Envoy.Config.Core.V3;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles a <c>Cluster</c> with its endpoints: load balancing (Mesh's metadata hint first, as Envoy's
/// lb_policy cannot say LEAST_REQUEST vs ROUND_ROBIN for a DestinationRule that asks), circuit breakers, outlier
/// detection, active health checks, upstream protocol and TLS.</summary>
internal static class ClusterCompiler
{
    public static UpstreamCluster? Compile(Cluster cluster, ClusterLoadAssignment? assignment, List<string> errors)
    {
        var where = $"Cluster {cluster.Name}";
        if (LoadBalancerOf(cluster) is not { } lb) return errors.Fail<UpstreamCluster>($"{where}: lb_policy {cluster.LbPolicy} is not supported (ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV)");
        if (cluster.Type is not (Cluster.Types.DiscoveryType.Eds or Cluster.Types.DiscoveryType.Static or Cluster.Types.DiscoveryType.StrictDns or Cluster.Types.DiscoveryType.LogicalDns))
        {
            return errors.Fail<UpstreamCluster>($"{where}: type {cluster.Type} is not supported (EDS, STATIC, STRICT_DNS, LOGICAL_DNS)");
        }
        var thresholds = cluster.CircuitBreakers?.Thresholds.FirstOrDefault(t => t.Priority == EnvoyCore.RoutingPriority.Default);
        static int? Limit(uint? value) => value is null || value.Value >= int.MaxValue ? null : (int)value.Value;
        var limits = thresholds is null ? CircuitLimits.Unlimited
            : new CircuitLimits(Limit(thresholds.MaxConnections), Limit(thresholds.MaxPendingRequests), Limit(thresholds.MaxRequests), Limit(thresholds.MaxRetries));
        return new UpstreamCluster(cluster.Name, lb, cluster.RingHashLbConfig?.MinimumRingSize ?? 1024, limits,
            OutlierOf(cluster.OutlierDetection, $"{where}.outlier_detection", errors), HealthCheckOf(cluster, $"{where}.health_checks", errors),
            UpstreamProtocols.Of(cluster, where, errors), LoadAssignmentCompiler.Compile(assignment))
        {
            Tls = UpstreamTlsCompiler.Compile(cluster, errors),
        };
    }

    private static LbKind? LoadBalancerOf(Cluster cluster)
    {
        var hint = cluster.Metadata?.FilterMetadata.TryGetValue(SidecarMetadata.Namespace, out var mesh) == true && mesh.Fields.TryGetValue(SidecarMetadata.LbPolicy, out var policy) ? policy.StringValue : null;
        return hint switch
        {
            "ROUND_ROBIN" => LbKind.RoundRobin,
            "LEAST_REQUEST" => LbKind.LeastRequest,
            "RANDOM" => LbKind.Random,
            "RING_HASH" => LbKind.RingHash,
            _ => cluster.LbPolicy switch
            {
                Cluster.Types.LbPolicy.RoundRobin => LbKind.RoundRobin,
                Cluster.Types.LbPolicy.LeastRequest => LbKind.LeastRequest,
                Cluster.Types.LbPolicy.Random => LbKind.Random,
                Cluster.Types.LbPolicy.RingHash or Cluster.Types.LbPolicy.Maglev => LbKind.RingHash,
                _ => null,
            },
        };
    }

    private static OutlierPolicy? OutlierOf(OutlierDetection? od, string where, List<string> errors)
    {
        if (od is null) return null;
        var baseEjection = DurationBounds.Wait(DurationBounds.Read(od.BaseEjectionTime, $"{where}.base_ejection_time", errors) ?? TimeSpan.FromSeconds(30));
        return new OutlierPolicy(
            (int)(od.Consecutive5Xx ?? 5), (od.EnforcingConsecutive5Xx ?? 100) > 0,
            (int)(od.ConsecutiveGatewayFailure ?? 5), (od.EnforcingConsecutiveGatewayFailure ?? 0) > 0,
            baseEjection,
            DurationBounds.Wait(DurationBounds.Read(od.MaxEjectionTime, $"{where}.max_ejection_time", errors) ?? TimeSpan.FromSeconds(Math.Max(300, baseEjection.TotalSeconds))),
            (int)(od.MaxEjectionPercent ?? 10));
    }

    private static ActiveHealthCheck? HealthCheckOf(Cluster cluster, string where, List<string> errors)
    {
        if (cluster.HealthChecks.FirstOrDefault(h => h.HealthCheckerCase == EnvoyCore.HealthCheck.HealthCheckerOneofCase.HttpHealthCheck) is not { } check) return null;
        // Envoy requires both above zero.
        var interval = DurationBounds.Read(check.Interval, $"{where}.interval", errors) ?? TimeSpan.FromSeconds(5);
        var timeout = DurationBounds.Read(check.Timeout, $"{where}.timeout", errors) ?? TimeSpan.FromSeconds(1);
        if (interval <= TimeSpan.Zero) errors.Add($"{where}.interval: must be greater than zero");
        if (timeout <= TimeSpan.Zero) errors.Add($"{where}.timeout: must be greater than zero");
        return new ActiveHealthCheck(check.HttpHealthCheck.Path is { Length: > 0 } p ? p : "/",
            DurationBounds.Wait(interval), DurationBounds.Wait(timeout), (int)(check.UnhealthyThreshold ?? 2));
    }
}
