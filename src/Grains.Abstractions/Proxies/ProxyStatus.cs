namespace Mesh.Grains.Proxies;

/// <summary>What one xDS stream has been sent and has answered, per resource type: the source of
/// <c>meshctl proxy-status</c>.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ProxyStatus")]
public sealed record ProxyStatus
{
    [Id(0)] public required string NodeId { get; init; }
    [Id(1)] public required string Silo { get; init; }
    [Id(2)] public string ClientVersion { get; init; } = "";
    [Id(3)] public bool Connected { get; init; } = true;
    [Id(4)] public DateTimeOffset ConnectedAt { get; init; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Delta (incremental) or state-of-the-world.</summary>
    [Id(6)] public bool Delta { get; init; }
    [Id(7)] public List<TypeStatus> Types { get; init; } = [];
    /// <summary>Where the proxy serves its Prometheus metrics, as its node metadata says; empty if it does not say.</summary>
    [Id(8)] public string MetricsUrl { get; init; } = "";
    /// <summary>The workload's namespace, as its node metadata (<c>NAMESPACE</c>) or else its node id says.</summary>
    [Id(9)] public string Namespace { get; init; } = "";
    /// <summary>The workload's labels, as its node metadata (<c>LABELS</c>) says: what workload policies select.</summary>
    [Id(10)] public Dictionary<string, string> Labels { get; init; } = [];
}

/// <summary>One resource type on one stream.</summary>
[GenerateSerializer, Immutable, Alias("mesh.TypeStatus")]
public sealed record TypeStatus
{
    [Id(0)] public required string TypeUrl { get; init; }
    [Id(1)] public int Subscribed { get; init; }
    [Id(2)] public string SentVersion { get; init; } = "";
    [Id(3)] public string SentNonce { get; init; } = "";
    [Id(4)] public DateTimeOffset? SentAt { get; init; }
    [Id(5)] public string AckedVersion { get; init; } = "";
    [Id(6)] public string AckedNonce { get; init; } = "";
    [Id(7)] public DateTimeOffset? AckedAt { get; init; }
    [Id(8)] public string NackedNonce { get; init; } = "";
    [Id(9)] public string NackError { get; init; } = "";
    [Id(10)] public DateTimeOffset? NackedAt { get; init; }
    /// <summary>Names and versions of what the last response held (for <c>meshctl proxy-config</c>, which
    /// translates them again on the silo it asks).</summary>
    [Id(11)] public Dictionary<string, string> SentResources { get; init; } = [];

    /// <summary>istioctl's words: SYNCED, NACKED, STALE or NOT SENT.</summary>
    public string Sync =>
        SentNonce.Length == 0 ? "NOT SENT"
        : NackedNonce == SentNonce ? "NACKED"
        : AckedNonce == SentNonce ? "SYNCED"
        : "STALE";
}
