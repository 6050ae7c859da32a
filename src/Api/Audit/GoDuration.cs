using System.Globalization;

namespace Mesh.Api.Audit;

/// <summary>Go's duration syntax (<c>time.ParseDuration</c>), as kubectl and istioctl flags take it: a sequence of
/// decimal numbers with units, like <c>300ms</c>, <c>1.5h</c> or <c>2h45m</c>; units ns, us (µs), ms, s, m, h.</summary>
public static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("\u00b5s", 1_000m), ("\u03bcs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = "";
        var rest = text.AsSpan();
        var negative = false;
        if (rest.Length > 0 && rest[0] is '-' or '+')
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }
        if (rest is "0") return true;
        if (rest.IsEmpty) return Fail(text, "it is empty", out error);

        var total = 0m;
        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.')) numberLength++;
            if (numberLength == 0 || !decimal.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return Fail(text, "expected a number", out error);
            }
            rest = rest[numberLength..];
            var unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]) && rest[unitLength] != '.') unitLength++;
            var unit = rest[..unitLength].ToString();
            if (unit.Length == 0) return Fail(text, "a number has no unit", out error);
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0) return Fail(text, $"unknown unit \"{unit}\"; use ns, us, ms, s, m or h (a day is 24h)", out error);
            rest = rest[unitLength..];
            try
            {
                total += number * Units[match].Nanoseconds;
            }
            catch (OverflowException)
            {
                return Fail(text, "it is too long", out error);
            }
        }
        var ticks = total / 100m;
        if (ticks > TimeSpan.MaxValue.Ticks) return Fail(text, "it is too long", out error);
        duration = TimeSpan.FromTicks((long)ticks);
        if (negative) duration = -duration;
        return true;
    }

    private static bool Fail(string text, string reason, out string error)
    {
        error = $"\"{text}\" is not a duration ({reason}); write it like 90s, 15m, 1h30m";
        return false;
    }
}
