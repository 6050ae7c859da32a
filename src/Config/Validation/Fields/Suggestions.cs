namespace Mesh.Config.Validation.Fields;

/// <summary>Finds the known name a misspelt one was probably meant to be.</summary>
internal static class Suggestions
{
    /// <summary>"unknown field "x", did you mean "y"?" for a field that is not one of <paramref name="known"/>.</summary>
    public static string UnknownField(string name, IEnumerable<string> known)
    {
        var closest = Closest(name, known);
        var shown = Rules.Names.Short(name);
        return closest is null ? $"unknown field \"{shown}\"" : $"unknown field \"{shown}\", did you mean \"{closest}\"?";
    }

    public static string? Closest(string typed, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = string.Equals(typed, candidate, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(typed, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        var allowed = Math.Max(1, Math.Min(3, typed.Length / 3));
        return bestDistance <= allowed ? best : null;
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3 || a.Length > 64 || b.Length > 64) return int.MaxValue;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
