using Google.Protobuf.WellKnownTypes;

namespace Mesh.Sidecar.Config;

/// <summary>Durations from xDS made into ones the data plane can honour, here and nowhere else, so that no value a
/// control plane may send turns into an exception on every request. A protobuf Duration spans ±10,000 years; .NET's
/// timers (Task.Delay, CancelAfter, YARP's and Polly's) stop at <see cref="TimerMax"/> (about 49.7 days), and Polly's
/// timeout option at 10 ms..24 h (which the pipeline avoids, see RouteResilience). So: a timeout longer than a timer
/// can run is no timeout (it would never fire in practice, as in Envoy); a wait (fault delay, backoff, ejection, health
/// check interval, cache lifetime) is capped at it; anything shorter than a millisecond but above zero becomes one
/// millisecond, Envoy's timer granularity. A Duration that is not a valid one is refused with its field path.</summary>
public static class DurationBounds
{
    /// <summary>The longest a .NET timer waits: 2^32 − 2 milliseconds.</summary>
    public static readonly TimeSpan TimerMax = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(1);

    /// <summary>The duration, or null when absent; a malformed or negative one is an error.</summary>
    public static TimeSpan? Read(Duration? duration, string where, List<string> errors)
    {
        var value = Read(duration, out var problem);
        if (problem is not null) errors.Add($"{where}: {problem}");
        return value;
    }

    /// <summary>The duration, or null: absent, or (with <paramref name="problem"/> set) malformed or negative.</summary>
    public static TimeSpan? Read(Duration? duration, out string? problem)
    {
        problem = null;
        if (duration is null) return null;
        TimeSpan value;
        try
        {
            value = duration.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            problem = $"{duration.Seconds}s {duration.Nanos}ns is not a valid Duration (seconds within ±315576000000, nanos within ±999999999 with the same sign)";
            return null;
        }
        if (value >= TimeSpan.Zero) return value;
        problem = $"{value} is negative";
        return null;
    }

    /// <summary>A timeout where zero (or absent) means none, as Envoy's route and per-try timeouts.</summary>
    public static TimeSpan? Timeout(TimeSpan? value)
        => value is not { } timeout || timeout <= TimeSpan.Zero || timeout > TimerMax ? null : Max(timeout, Granularity);

    /// <summary>A wait, capped at what a timer can run.</summary>
    public static TimeSpan Wait(TimeSpan value)
        => value <= TimeSpan.Zero ? TimeSpan.Zero : value > TimerMax ? TimerMax : Max(value, Granularity);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
