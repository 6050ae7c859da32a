using Mesh.Config.Views.ApiPolicies;

namespace Mesh.Grains.RateLimits;

/// <summary>A cluster-wide bucket (see <see cref="IRateLimitGrain"/>), with the same token bucket a gateway's local
/// limits use.</summary>
public sealed class RateLimitGrain(TimeProvider time) : Grain, IRateLimitGrain
{
    private TokenBucket? _bucket;

    public Task<LeaseGrant> Lease(LeaseAsk ask)
    {
        var shape = new TokenBucketShape(Math.Max(1, ask.MaxTokens), Math.Max(1, ask.TokensPerFill), ask.FillInterval < MinimumFill ? MinimumFill : ask.FillInterval);
        if (_bucket is null || _bucket.Shape != shape) _bucket = new TokenBucket(shape, time);
        var granted = _bucket.TakeUpTo(Math.Clamp(ask.Tokens, 0, shape.MaxTokens));
        return Task.FromResult(new LeaseGrant(granted, _bucket.UntilNextFill()));
    }

    /// <summary>Envoy's least fill interval for a local rate limit; the validator refuses less.</summary>
    private static readonly TimeSpan MinimumFill = TimeSpan.FromMilliseconds(50);
}
