using Mesh.Config.Text;

namespace Mesh.Config.Validation.Rules;

/// <summary>Duration rules for Istio's fields, in Go syntax (<see cref="GoDuration"/>).</summary>
public static class Durations
{
    private const long NanosPerMilli = 1_000_000;

    /// <summary>A rule: a Go duration of at least <paramref name="minimumMillis"/>; with <paramref name="precisionMillis"/>,
    /// a whole number of that many milliseconds; zero also when <paramref name="allowZero"/> (where it turns a feature off).</summary>
    public static Func<string, string?> AtLeast(long minimumMillis, long precisionMillis = 0, bool allowZero = false)
        => text =>
        {
            if (text.StartsWith('-')) return $"duration \"{Names.Short(text)}\" must not be negative";
            var (nanos, problem) = GoDuration.Read(text);
            if (problem == GoDuration.TooLong) return $"duration \"{Names.Short(text)}\" is {GoDuration.TooLong}";
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
}
