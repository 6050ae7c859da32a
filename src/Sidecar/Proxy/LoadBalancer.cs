using Mesh.Sidecar.Config;
using Yarp.ReverseProxy.Model;

namespace Mesh.Sidecar.Proxy;

/// <summary>Picks an endpoint among the ones YARP says are available (healthy, not ejected; all of them in panic), as
/// Envoy's policies do: weighted round robin, least request (the less busy of two random picks), weighted random, and
/// ring hash. With outlier detection on and a locality known, endpoints in the sidecar's own subzone, then zone, then
/// region are preferred while any of them is available (Istio's locality failover). Endpoints a retry already tried
/// are avoided when others remain.</summary>
public static class LoadBalancer
{
    public static DestinationState? Pick(
        UpstreamCluster cluster, ClusterRuntime runtime, IReadOnlyList<DestinationState> available, string locality,
        ulong? hash, IReadOnlySet<string>? tried)
    {
        if (available.Count == 0) return null;
        IReadOnlyList<DestinationState> candidates = available;
        if (tried is { Count: > 0 })
        {
            var untried = available.Where(d => !tried.Contains(d.DestinationId)).ToList();
            if (untried.Count > 0) candidates = untried;
        }
        if (cluster.Outlier is not null && locality.Length > 0) candidates = Nearest(cluster, candidates, locality);
        if (candidates.Count == 1) return candidates[0];
        return cluster.LoadBalancer switch
        {
            LbKind.RingHash when hash is { } key => RingPick(cluster, runtime, candidates, key),
            LbKind.LeastRequest => LeastRequest(runtime, candidates),
            LbKind.RoundRobin => Weighted(cluster, candidates, runtime.NextRoundRobin()),
            _ => Weighted(cluster, candidates, Random.Shared.Next()),
        };
    }

    private static DestinationState RingPick(UpstreamCluster cluster, ClusterRuntime runtime, IReadOnlyList<DestinationState> candidates, ulong hash)
    {
        var byKey = candidates.ToDictionary(d => d.DestinationId, StringComparer.Ordinal);
        foreach (var owner in runtime.Ring(cluster).Walk(hash))
        {
            if (byKey.TryGetValue(owner, out var destination)) return destination;
        }
        return candidates[0];
    }

    private static DestinationState LeastRequest(ClusterRuntime runtime, IReadOnlyList<DestinationState> candidates)
    {
        var first = candidates[Random.Shared.Next(candidates.Count)];
        var second = candidates[Random.Shared.Next(candidates.Count)];
        return Volatile.Read(ref runtime.Endpoint(second.DestinationId).Active) < Volatile.Read(ref runtime.Endpoint(first.DestinationId).Active) ? second : first;
    }

    private static DestinationState Weighted(UpstreamCluster cluster, IReadOnlyList<DestinationState> candidates, int ticket)
    {
        long total = 0;
        foreach (var destination in candidates) total += Weight(cluster, destination);
        var point = ticket % total;
        foreach (var destination in candidates)
        {
            point -= Weight(cluster, destination);
            if (point < 0) return destination;
        }
        return candidates[^1];
    }

    private static int Weight(UpstreamCluster cluster, DestinationState destination)
        => cluster.ByKey.TryGetValue(destination.DestinationId, out var endpoint) ? endpoint.Weight : 1;

    private static IReadOnlyList<DestinationState> Nearest(UpstreamCluster cluster, IReadOnlyList<DestinationState> candidates, string locality)
    {
        var mine = locality.Split('/');
        var best = int.MaxValue;
        var nearest = new List<DestinationState>();
        foreach (var destination in candidates)
        {
            var theirs = (cluster.ByKey.TryGetValue(destination.DestinationId, out var endpoint) ? endpoint.Locality : "").Split('/');
            var shared = 0;
            while (shared < 3 && shared < mine.Length && shared < theirs.Length && mine[shared].Length > 0 && mine[shared] == theirs[shared]) shared++;
            var distance = 3 - shared;
            if (distance < best)
            {
                best = distance;
                nearest.Clear();
            }
            if (distance == best) nearest.Add(destination);
        }
        return nearest;
    }
}
