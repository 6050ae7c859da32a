using System.Globalization;

namespace Mesh.Config.Validation.Rules;

/// <summary>Durations in Go syntax (<c>1.5s</c>, <c>200ms</c>, <c>1h30m</c>, <c>10us</c>), as Istio reads them.</summary>
public static class Durations
{
    /// <summary>The longest duration Istio reads: Go's <c>time.Duration</c> is int64 nanoseconds (about 292 years), so
    /// Istio's duration parsing refuses anything longer. It is also well inside what a protobuf Duration can hold
    /// (315,576,000,000 s), so whatever passes here can be sent to Envoy as it is.</summary>
    private const long MaxNanos = long.MaxValue;

    private const long NanosPerMilli = 1_000_000;
    private const long NanosPerSecond = 1_000_000_000;

    private static readonly (string Unit, long Nanos)[] Units =
    [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", NanosPerMilli), ("s", NanosPerSecond), ("m", 60 * NanosPerSecond),
        ("h", 3600 * NanosPerSecond),
    ];

    /// <summary>The duration in nanoseconds, exactly, or null when the text is not a Go duration or is longer than
    /// <see cref="MaxNanos"/>. Fractions below a nanosecond are dropped, as Go drops them.</summary>
    public static long? Parse(string text) => Read(text).Nanos;

    /// <summary>A rule: a Go duration of at least <paramref name="minimumMillis"/>; with <paramref name="precisionMillis"/>,
    /// a whole number of that many milliseconds; zero also when <paramref name="allowZero"/> (where it turns a feature off).</summary>
    public static Func<string, string?> AtLeast(long minimumMillis, long precisionMillis = 0, bool allowZero = false)
        => text =>
        {
            if (text.StartsWith('-')) return $"duration \"{Names.Short(text)}\" must not be negative";
            var (nanos, tooLong) = Read(text);
            if (tooLong) return $"duration \"{Names.Short(text)}\" is too long: the longest Istio accepts is 2562047h47m16s (about 292 years)";
            if (nanos is not { } value) return $"\"{Names.Short(text)}\" is not a duration (use Go syntax: \"1.5s\", \"200ms\", \"1h30m\")";
            if (value == 0 && allowZero) return null;
            if (value < minimumMillis * NanosPerMilli) return $"duration \"{Names.Short(text)}\" must be at least {minimumMillis}ms";
            if (precisionMillis > 0 && value % (precisionMillis * NanosPerMilli) != 0)
            {
                return precisionMillis == 1000
                    ? $"duration \"{Names.Short(text)}\" must be a whole number of seconds"
                    : $"duration \"{Names.Short(text)}\" must be a whole number of milliseconds (Istio supports ms precision only)";
            }
            return null;
        };

    /// <summary>Go's time.ParseDuration without a sign: a sequence of decimal numbers with a unit each. Computed in
    /// 128-bit integers so that nothing rounds: <c>9223372036854775808ns</c> is one nanosecond too long, and says so.</summary>
    private static (long? Nanos, bool TooLong) Read(string text)
    {
        if (text == "0") return (0, false);
        if (text.Length == 0 || text.Length > 64) return (null, false);
        var position = 0;
        Int128 total = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
            var whole = text[start..position];
            var fraction = "";
            if (position < text.Length && text[position] == '.')
            {
                var fractionStart = ++position;
                while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
                fraction = text[fractionStart..position];
            }
            if (whole.Length == 0 && fraction.Length == 0) return (null, false);
            var unitStart = position;
            while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.') position++;
            var unit = text[unitStart..position];
            var scale = Units.FirstOrDefault(u => u.Unit == unit).Nanos;
            if (scale == 0) return (null, false);
            // More than 20 digits before the point is past any int64 count of nanoseconds in any unit.
            if (whole.TrimStart('0').Length > 20) return (null, true);
            total += (whole.Length == 0 ? 0 : Int128.Parse(whole, CultureInfo.InvariantCulture)) * scale;
            total += FractionNanos(fraction, scale);
            if (total > MaxNanos) return (null, true);
        }
        return ((long)total, false);
    }

    /// <summary>0.fraction of a unit in nanoseconds, truncated; digits past the 19th cannot change a nanosecond count.</summary>
    private static Int128 FractionNanos(string fraction, long scale)
    {
        if (fraction.Length == 0) return 0;
        var digits = fraction.Length > 19 ? fraction[..19] : fraction;
        return Int128.Parse(digits, CultureInfo.InvariantCulture) * scale / Int128.Parse("1" + new string('0', digits.Length), CultureInfo.InvariantCulture);
    }
}
