using System.Collections.Concurrent;
using Mesh.Sidecar.Config;

namespace Mesh.Sidecar.Proxy;

/// <summary>What a cluster counts while it serves: requests, pending requests and retries in flight (for the circuit
/// breakers), each endpoint's requests in flight and consecutive errors (for least request and outlier detection),
/// and its hash ring. It outlives config swaps: a changed cluster keeps its counters.</summary>
public sealed class ClusterRuntime(string name)
{
    private int _activeRequests;
    private int _pending;
    private int _activeRetries;
    private int _roundRobin;
    private (string Version, HashRing Ring)? _ring;
    private (int Limit, SemaphoreSlim Slots)? _connections;

    public string Name => name;
    public int ActiveRequests => Volatile.Read(ref _activeRequests);
    public int PendingRequests => Volatile.Read(ref _pending);
    public int ActiveRetries => Volatile.Read(ref _activeRetries);
    public long Overflows;

    public ConcurrentDictionary<string, EndpointRuntime> Endpoints { get; } = new(StringComparer.Ordinal);

    public EndpointRuntime Endpoint(string key) => Endpoints.GetOrAdd(key, k => new EndpointRuntime(k));

    public int NextRoundRobin() => Interlocked.Increment(ref _roundRobin) & int.MaxValue;

    public HashRing Ring(UpstreamCluster cluster)
    {
        var current = _ring;
        if (current is { } held && held.Version == cluster.EndpointsVersion) return held.Ring;
        var ring = new HashRing(cluster.Endpoints, cluster.MinimumRingSize);
        _ring = (cluster.EndpointsVersion, ring);
        return ring;
    }

    /// <summary>Takes a request slot, or names the limit that is full (max_requests, max_connections then
    /// max_pending_requests for HTTP/1.1, where each request in flight holds a connection).</summary>
    public async ValueTask<(Lease? Lease, string? Overflow)> Admit(CircuitLimits limits, bool http1, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _activeRequests) > (limits.MaxRequests ?? int.MaxValue))
        {
            Interlocked.Decrement(ref _activeRequests);
            return (null, "max_requests");
        }
        if (!http1 || limits.MaxConnections is not { } maxConnections) return (new Lease(this, null), null);
        var slots = Slots(maxConnections);
        if (slots.Wait(0)) return (new Lease(this, slots), null);
        if (Interlocked.Increment(ref _pending) > (limits.MaxPendingRequests ?? int.MaxValue))
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Decrement(ref _activeRequests);
            return (null, "max_pending_requests");
        }
        try
        {
            await slots.WaitAsync(cancellationToken);
            return (new Lease(this, slots), null);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _activeRequests);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>A retry may start unless max_retries retries are already in flight.</summary>
    public bool TryStartRetry(CircuitLimits limits)
    {
        if (Interlocked.Increment(ref _activeRetries) <= (limits.MaxRetries ?? int.MaxValue)) return true;
        Interlocked.Decrement(ref _activeRetries);
        return false;
    }

    public void EndRetry() => Interlocked.Decrement(ref _activeRetries);

    private SemaphoreSlim Slots(int limit)
    {
        var current = _connections;
        if (current is { } held && held.Limit == limit) return held.Slots;
        var slots = new SemaphoreSlim(limit, limit);
        _connections = (limit, slots);
        return slots;
    }

    /// <summary>A request's hold on the cluster's slots, released once.</summary>
    public sealed class Lease(ClusterRuntime owner, SemaphoreSlim? connection) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            connection?.Release();
            Interlocked.Decrement(ref owner._activeRequests);
        }
    }
}

/// <summary>One endpoint's live counters.</summary>
public sealed class EndpointRuntime(string key)
{
    public string Key => key;
    public int Active;
    public long Requests;
    public long Failures;
    public int Consecutive5xx;
    public int ConsecutiveGatewayFailures;
    public int TimesEjected;
    public DateTimeOffset EjectedUntil;

    public bool Ejected => DateTimeOffset.UtcNow < EjectedUntil;
}

/// <summary>Every cluster's runtime, by name.</summary>
public sealed class ClusterRuntimes
{
    private readonly ConcurrentDictionary<string, ClusterRuntime> _clusters = new(StringComparer.Ordinal);

    public ClusterRuntime For(string cluster) => _clusters.GetOrAdd(cluster, name => new ClusterRuntime(name));

    public IEnumerable<ClusterRuntime> All => _clusters.Values;
}
