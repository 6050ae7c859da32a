using Mesh.Config.Views.ApiPolicies;
using Mesh.Xds.Protos.ApiPolicy;

namespace Mesh.Sidecar.Tests.Proxy.RateLimits;

/// <summary>A stand-in for the control plane's rate-limit grains: one token bucket per bucket and key, or a lease
/// that never answers, or one that fails.</summary>
internal sealed class FakeLeases(TimeProvider time)
{
    private readonly Dictionary<string, TokenBucket> _buckets = [];

    public int Calls { get; private set; }

    public Task<LeaseResponse> Grant(LeaseRequest request)
    {
        Calls++;
        lock (_buckets)
        {
            var key = $"{request.Bucket}|{request.Key}";
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                _buckets[key] = bucket = new TokenBucket(new TokenBucketShape((long)request.MaxTokens, (long)request.TokensPerFill, request.FillInterval.ToTimeSpan()), time);
            }
            var granted = bucket.TakeUpTo(request.Tokens);
            return Task.FromResult(new LeaseResponse { Granted = (uint)granted, NextFill = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(bucket.UntilNextFill()) });
        }
    }
}

/// <summary>A clock that moves only when a test moves it.</summary>
internal sealed class SteppedClock : TimeProvider
{
    public long Ticks { get; set; } = 1_000_000;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Ticks;

    public void Advance(TimeSpan by) => Ticks += by.Ticks;
}
