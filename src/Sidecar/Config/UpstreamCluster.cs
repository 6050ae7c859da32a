namespace Mesh.Sidecar.Config;

public enum LbKind { RoundRobin, LeastRequest, Random, RingHash }

/// <summary>An upstream cluster with its endpoints (from EDS) and the policies that govern them.</summary>
public sealed record UpstreamCluster(
    string Name,
    LbKind LoadBalancer,
    ulong MinimumRingSize,
    CircuitLimits Limits,
    OutlierPolicy? Outlier,
    ActiveHealthCheck? HealthCheck,
    UpstreamProtocol Protocol,
    IReadOnlyList<EndpointModel> Endpoints)
{
    /// <summary>Endpoints by <c>address:port</c>, YARP's destination id (weight, locality and workload are read from
    /// here per request, not parsed from YARP's destination metadata).</summary>
    public IReadOnlyDictionary<string, EndpointModel> ByKey { get; } = Endpoints.DistinctBy(e => e.Key).ToDictionary(e => e.Key, StringComparer.Ordinal);

    /// <summary>Identifies the endpoint set: the version of the response that gave it (a cluster a later response
    /// re-sends unchanged is kept, version and all), so a ring is rebuilt only when the set changes.</summary>
    public string EndpointsVersion { get; init; } = "";

    /// <summary>How to speak TLS to this cluster's endpoints (the DestinationRule's tls; auto mTLS when unset).</summary>
    public UpstreamTls Tls { get; init; } = UpstreamTls.Auto;
}

/// <summary>Envoy's circuit-breaker thresholds for the default priority; null is unlimited.</summary>
public sealed record CircuitLimits(int? MaxConnections, int? MaxPendingRequests, int? MaxRequests, int? MaxRetries)
{
    public static CircuitLimits Unlimited { get; } = new(null, null, null, null);
}

/// <summary>Envoy's outlier detection: consecutive 5xx and gateway errors eject an endpoint for base ejection time ×
/// times ejected (at most <see cref="MaxEjectionTime"/>), never more than <see cref="MaxEjectionPercent"/> of them.</summary>
public sealed record OutlierPolicy(
    int Consecutive5xx,
    bool Enforce5xx,
    int ConsecutiveGatewayFailure,
    bool EnforceGatewayFailure,
    TimeSpan BaseEjectionTime,
    TimeSpan MaxEjectionTime,
    int MaxEjectionPercent);

public sealed record ActiveHealthCheck(string Path, TimeSpan Interval, TimeSpan Timeout, int UnhealthyThreshold);

/// <summary>One endpoint: where it is, its weight and locality, and the workload behind it when known.</summary>
public sealed record EndpointModel(string Address, int Port, int Weight, string Locality, bool Healthy, string Workload, string WorkloadNamespace)
{
    public string Key => Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    /// <summary>The workload has a sidecar that accepts mTLS (Istio's <c>tlsMode: istio</c>).</summary>
    public bool SidecarMtls { get; init; }

    /// <summary>The workload's service account: its certificate must say <c>.../ns/WorkloadNamespace/sa/ServiceAccount</c>.</summary>
    public string ServiceAccount { get; init; } = "";
}
