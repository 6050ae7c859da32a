namespace Mesh.Sidecar.Proxy.RateLimits;

/// <summary>The tokens one gateway holds of one cluster bucket, and whether it may ask for more now (one lease in
/// flight at a time; none before the grain's next fill when it had nothing to give, nor within a second of a failed
/// call). Thread-safe; requests only decrement a counter.</summary>
internal sealed class LeasedTokens
{
    private long _tokens;
    private int _refilling;
    private long _askAfter;
    private long _resetAt;
    private volatile bool _confirmed;

    public long Tokens => Interlocked.Read(ref _tokens);

    /// <summary>True until the control plane answers, and again while it cannot be reached.</summary>
    public bool Unconfirmed => !_confirmed;

    public (bool Taken, long Left) TryTake()
    {
        while (true)
        {
            var tokens = Interlocked.Read(ref _tokens);
            if (tokens <= 0) return (false, 0);
            if (Interlocked.CompareExchange(ref _tokens, tokens - 1, tokens) == tokens) return (true, tokens - 1);
        }
    }

    /// <summary>Whether to start a lease now: half a batch or less left, none in flight, and not told to wait. Claims
    /// the refill when it says yes.</summary>
    public bool Wants(long batch, long now) =>
        Interlocked.Read(ref _tokens) * 2 <= batch && now >= Interlocked.Read(ref _askAfter) && Interlocked.CompareExchange(ref _refilling, 1, 0) == 0;

    public void Granted(long granted, long nextFillAt)
    {
        Interlocked.Add(ref _tokens, granted);
        Interlocked.Exchange(ref _resetAt, nextFillAt);
        // An empty bucket has nothing to give before it fills: ask again then.
        Interlocked.Exchange(ref _askAfter, granted == 0 ? nextFillAt : 0);
        _confirmed = true;
        Interlocked.Exchange(ref _refilling, 0);
    }

    public void Unreachable(long retryAt)
    {
        Interlocked.Exchange(ref _askAfter, retryAt);
        _confirmed = false;
        Interlocked.Exchange(ref _refilling, 0);
    }

    public long ResetSeconds(TimeProvider time) =>
        Math.Max(0, (long)Math.Ceiling((double)(Interlocked.Read(ref _resetAt) - time.GetTimestamp()) / time.TimestampFrequency));
}
