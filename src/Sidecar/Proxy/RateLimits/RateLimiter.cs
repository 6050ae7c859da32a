using System.Collections.Concurrent;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Sidecar.Config;

namespace Mesh.Sidecar.Proxy.RateLimits;

/// <summary>The gateway's rate-limit buckets, one per limit (<see cref="RateLimitModel.Bucket"/>: shared by every route
/// its policy applies to) and key value. Local limits take from a bucket here; Cluster limits from the tokens this
/// gateway leased (<see cref="ClusterLeases"/>). Never waits.</summary>
public sealed class RateLimiter(ClusterLeases cluster, TimeProvider time)
{
    /// <summary>Past this many buckets, full ones (idle: dropping them changes nothing) are dropped.</summary>
    private const int Sweep = 100_000;

    private readonly ConcurrentDictionary<(string Bucket, string Key), TokenBucket> _buckets = new();

    public RateLimitDecision Take(RateLimitModel limit, string key)
    {
        if (limit.Cluster) return cluster.Take(limit, key);
        var bucket = _buckets.GetOrAdd((limit.Bucket, key), static (_, state) => new TokenBucket(state.Shape, state.time), (limit.Shape, time));
        if (bucket.Shape != limit.Shape)
        {
            // The policy changed the bucket's shape: start again full, as Envoy does with a new config.
            bucket = _buckets[(limit.Bucket, key)] = new TokenBucket(limit.Shape, time);
        }
        if (_buckets.Count > Sweep) DropFull();
        return bucket.TryTake();
    }

    private void DropFull()
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.Full) _buckets.TryRemove(new KeyValuePair<(string, string), TokenBucket>(key, bucket));
        }
    }
}
