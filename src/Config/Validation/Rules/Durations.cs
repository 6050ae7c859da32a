using System.Globalization;

namespace Mesh.Config.Validation.Rules;

/// <summary>Durations in Go syntax (<c>1.5s</c>, <c>200ms</c>, <c>1h30m</c>, <c>10us</c>), as Istio reads them.</summary>
public static class Durations
{
    private static readonly (string Unit, double Nanos)[] Units =
    [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ];

    /// <summary>The duration in nanoseconds, or null when the text is not a Go duration.</summary>
    public static double? Parse(string text)
    {
        if (text == "0") return 0;
        if (text.Length == 0 || text.Length > 64) return null;
        var position = 0;
        double total = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.')) position++;
            var number = text[start..position];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1) return null;
            var unitStart = position;
            while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.') position++;
            var unit = text[unitStart..position];
            var scale = Units.FirstOrDefault(u => u.Unit == unit).Nanos;
            if (scale == 0) return null;
            total += double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * scale;
        }
        return total > long.MaxValue ? null : total;
    }

    /// <summary>A rule: a Go duration of at least <paramref name="minimumMillis"/> (0 allows zero).</summary>
    public static Func<string, string?> AtLeast(double minimumMillis)
        => text =>
        {
            if (text.StartsWith('-')) return $"duration \"{Names.Short(text)}\" must not be negative";
            if (Parse(text) is not { } nanos) return $"\"{Names.Short(text)}\" is not a duration (use Go syntax: \"1.5s\", \"200ms\", \"1h30m\")";
            if (nanos < minimumMillis * 1e6)
            {
                return minimumMillis == 1 ? $"duration \"{Names.Short(text)}\" must be at least 1ms" : $"duration \"{Names.Short(text)}\" must be at least {minimumMillis}ms";
            }
            return null;
        };
}
