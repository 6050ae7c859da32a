namespace Mesh.Config.Views.ApiPolicies;

/// <summary>What a limit said of one request: admitted or not, and Envoy's <c>x-ratelimit-*</c> values (draft 03):
/// the bucket's size, the tokens left, and the seconds until it next fills.</summary>
public readonly record struct RateLimitDecision(bool Admitted, long Limit, long Remaining, long ResetSeconds);

/// <summary>One token bucket with Envoy's local rate limit semantics: it starts full, a request takes a token, and
/// <c>tokens_per_fill</c> come back each whole <c>fill_interval</c>, up to <c>max_tokens</c>. Filled lazily on use (the
/// same tokens as Envoy's timer, without one timer per bucket). Thread-safe. The one implementation: a gateway's
/// local limits and the rate-limit grains' cluster buckets are both this.</summary>
public sealed class TokenBucket(TokenBucketShape shape, TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _tokens = shape.MaxTokens;
    private long _filledAt = time.GetTimestamp();
    private readonly long _interval = (long)(shape.FillInterval.TotalSeconds * time.TimestampFrequency);

    public TokenBucketShape Shape => shape;

    public RateLimitDecision TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Fill(now);
            var admitted = _tokens > 0;
            if (admitted) _tokens--;
            return new RateLimitDecision(admitted, shape.MaxTokens, _tokens, ResetSeconds(now));
        }
    }

    /// <summary>Takes up to <paramref name="wanted"/> tokens at once (a lease); how many it gave.</summary>
    public long TakeUpTo(long wanted)
    {
        lock (_lock)
        {
            Fill(time.GetTimestamp());
            var given = Math.Min(wanted, _tokens);
            _tokens -= given;
            return given;
        }
    }

    /// <summary>The time until the bucket next fills.</summary>
    public TimeSpan UntilNextFill()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Fill(now);
            return TimeSpan.FromSeconds((double)(_filledAt + _interval - now) / time.TimestampFrequency);
        }
    }

    /// <summary>Whether the bucket is full: an idle bucket that may be dropped and made again with no change.</summary>
    public bool Full
    {
        get
        {
            lock (_lock)
            {
                Fill(time.GetTimestamp());
                return _tokens >= shape.MaxTokens;
            }
        }
    }

    private void Fill(long now)
    {
        var fills = (now - _filledAt) / _interval;
        if (fills <= 0) return;
        _filledAt += fills * _interval;
        _tokens = (long)Math.Min(shape.MaxTokens, _tokens + Math.Min(fills, shape.MaxTokens) * (double)shape.TokensPerFill);
    }

    private long ResetSeconds(long now) => (long)Math.Ceiling((double)(_filledAt + _interval - now) / time.TimestampFrequency);
}

/// <summary>Envoy's token bucket: <see cref="MaxTokens"/> to start with and at most, <see cref="TokensPerFill"/> added
/// every <see cref="FillInterval"/>.</summary>
public sealed record TokenBucketShape(long MaxTokens, long TokensPerFill, TimeSpan FillInterval);
