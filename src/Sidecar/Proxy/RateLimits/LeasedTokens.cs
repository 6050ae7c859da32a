namespace Mesh.Sidecar.Proxy.RateLimits;

/// <summary>The tokens one gateway holds of one cluster bucket, and whether it may ask for more now (one lease in
/// flight at a time; none before the grain's next fill when it had nothing to give, nor within a second of a failed
/// call). Before the first lease of a key answers, requests are admitted on credit, up to one batch, repaid from the
/// lease: a new client's first requests are not refused for want of a lease. Thread-safe; requests only decrement a
/// counter.</summary>
internal sealed class LeasedTokens
{
    private long _tokens;
    private int _refilling;
    private long _askAfter;
    private long _resetAt;
    private volatile int _state; // Pending, then Answered or Unreachable after each lease
    private const int Pending = 0, Answered = 1, Unreachable = 2;

    public long Tokens => Interlocked.Read(ref _tokens);

    /// <summary>True while the last lease failed: the control plane cannot be reached.</summary>
    public bool IsUnreachable => _state == Unreachable;

    public (bool Taken, long Left) TryTake()
    {
        while (true)
        {
            var tokens = Interlocked.Read(ref _tokens);
            if (tokens <= 0) return (false, 0);
            if (Interlocked.CompareExchange(ref _tokens, tokens - 1, tokens) == tokens) return (true, tokens - 1);
        }
    }

    /// <summary>Before the first lease answers: takes a token on credit, down to one batch owed.</summary>
    public bool TryBorrow(long batch)
    {
        while (_state == Pending)
        {
            var tokens = Interlocked.Read(ref _tokens);
            if (tokens <= -batch) return false;
            if (Interlocked.CompareExchange(ref _tokens, tokens - 1, tokens) == tokens) return true;
        }
        return false;
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
        _state = Answered;
        Interlocked.Exchange(ref _refilling, 0);
    }

    public void Failed(long retryAt)
    {
        Interlocked.Exchange(ref _askAfter, retryAt);
        _state = Unreachable;
        Interlocked.Exchange(ref _refilling, 0);
    }

    public long ResetSeconds(TimeProvider time) =>
        Math.Max(0, (long)Math.Ceiling((double)(Interlocked.Read(ref _resetAt) - time.GetTimestamp()) / time.TimestampFrequency));
}
