using System.Globalization;

namespace Mesh.Config.Text;

/// <summary>Go's duration syntax (<c>time.ParseDuration</c>), as Istio's resources and kubectl's flags take it: decimal
/// numbers with a unit each, like <c>300ms</c>, <c>1.5h</c> or <c>2h45m</c>; units ns, us (µs), ms, s, m, h. Exact to
/// the nanosecond: computed in 128-bit integers, so <c>9223372036854775808ns</c> is one nanosecond too long.</summary>
public static class GoDuration
{
    /// <summary>Go's <c>time.Duration</c> is int64 nanoseconds (about 292 years); Istio refuses anything longer. It is
    /// well inside a protobuf Duration (315,576,000,000 s), so whatever parses can be sent to Envoy as it is.</summary>
    public const long MaxNanos = long.MaxValue;

    /// <summary>Longer texts are refused before parsing: no real duration needs them.</summary>
    private const int MaxLength = 64;

    private static readonly (string Unit, long Nanos)[] Units =
    [
        ("ns", 1), ("us", 1_000), ("\u00b5s", 1_000), ("\u03bcs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ];

    /// <summary>An unsigned duration in nanoseconds, or null when the text is not one or is longer than
    /// <see cref="MaxNanos"/>. Fractions below a nanosecond are dropped, as Go drops them.</summary>
    public static long? Nanoseconds(string text) => Read(text).Nanos;

    /// <summary>A signed duration (<c>-5m</c>, <c>+15s</c>), as a command-line flag takes it; the error says what is
    /// wrong and how to write one.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = "";
        var negative = text.StartsWith('-');
        var (nanos, problem) = Read(text.Length > 0 && text[0] is '-' or '+' ? text[1..] : text);
        if (nanos is not { } value)
        {
            error = $"\"{UntrustedText.Short(text, 64)}\" is not a duration ({problem}); write it like 90s, 15m, 1h30m";
            return false;
        }
        duration = TimeSpan.FromTicks(value / TimeSpan.NanosecondsPerTick);
        if (negative) duration = -duration;
        return true;
    }

    /// <summary>The nanoseconds, or why the text is not an unsigned Go duration (<see cref="TooLong"/> when it is one
    /// but longer than Go allows).</summary>
    public static (long? Nanos, string Problem) Read(string text)
    {
        if (text == "0") return (0, "");
        if (text.Length == 0) return (null, "it is empty");
        if (text.Length > MaxLength) return (null, $"it is longer than {MaxLength} characters");
        var position = 0;
        Int128 total = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.')) position++;
            var number = text[start..position];
            var point = number.IndexOf('.');
            var whole = point < 0 ? number : number[..point];
            var fraction = point < 0 ? "" : number[(point + 1)..];
            if (whole.Length + fraction.Length == 0 || fraction.Contains('.')) return (null, "expected a number");
            var unitStart = position;
            while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.') position++;
            var unit = text[unitStart..position];
            if (unit.Length == 0) return (null, "a number has no unit");
            var scale = Array.Find(Units, u => u.Unit == unit).Nanos;
            if (scale == 0) return (null, $"unknown unit \"{UntrustedText.Short(unit, 16)}\"; use ns, us, ms, s, m or h (a day is 24h)");
            // More than 20 digits before the point is past any int64 count of nanoseconds in any unit.
            if (whole.TrimStart('0').Length > 20) return (null, TooLong);
            total += (whole.Length == 0 ? 0 : Int128.Parse(whole, CultureInfo.InvariantCulture)) * scale + FractionNanos(fraction, scale);
            if (total > MaxNanos) return (null, TooLong);
        }
        return ((long)total, "");
    }

    /// <summary>Why a duration longer than Go's int64 nanoseconds is refused.</summary>
    public const string TooLong = "too long: the longest Istio accepts is 2562047h47m16s (about 292 years)";

    /// <summary>0.fraction of a unit in nanoseconds, truncated; digits past the 19th cannot change a nanosecond count.</summary>
    private static Int128 FractionNanos(string fraction, long scale)
    {
        if (fraction.Length == 0) return 0;
        var digits = fraction.Length > 19 ? fraction[..19] : fraction;
        return Int128.Parse(digits, CultureInfo.InvariantCulture) * scale / Int128.Parse("1" + new string('0', digits.Length), CultureInfo.InvariantCulture);
    }
}
