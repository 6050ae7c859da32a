namespace Mesh.Silo.Kubernetes.Status;

/// <summary>How the status writer follows the fleet, and how it backs off.</summary>
public sealed record StatusWriterOptions
{
    /// <summary>How often every proxy is read again whatever the proxy feeds said: a safety net, since ACKs and NACKs
    /// are pushed (a feed's signal is one-way and may be lost).</summary>
    public TimeSpan SafetyPoll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a round waits after a report or a proxy's change for the rest of its burst.</summary>
    public TimeSpan Coalesce { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The wait before a failed write is tried again the first time; it doubles with each failure.</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait before a failed write is tried again.</summary>
    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The mesh's root namespace, where a workload policy without selector applies to every proxy: the xDS
    /// side's (<c>Mesh:Xds:RootNamespace</c>) when registered by <c>AddKubernetesStatus</c>.</summary>
    public string RootNamespace { get; init; } = Config.Views.Security.WorkloadPolicyScope.DefaultRootNamespace;
}
