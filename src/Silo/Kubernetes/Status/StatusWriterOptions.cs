namespace Mesh.Silo.Kubernetes.Status;

/// <summary>How often the status writer follows the fleet, and how it backs off.</summary>
public sealed record StatusWriterOptions
{
    /// <summary>How often the proxies' ACKs and NACKs are read again (proxy grains push to no one, so they are read).</summary>
    public TimeSpan FleetInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a round waits after a report for the rest of its burst.</summary>
    public TimeSpan Coalesce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait before a failed write is tried again.</summary>
    public TimeSpan MaxBackOff { get; init; } = TimeSpan.FromSeconds(60);
}
