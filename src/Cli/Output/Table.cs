using Mesh.Config.Text;

namespace Mesh.Cli.Output;

/// <summary>kubectl-style columns: upper-case headers, left-aligned, three spaces apart. Every cell is escaped
/// (<see cref="UntrustedText"/>): a value from the server can neither start a row nor colour one.</summary>
public static class Table
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows.Select(row => (IReadOnlyList<string>)[.. row.Select(UntrustedText.Escape)]));
        var widths = headers.Select((_, i) => all.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        var lines = all.Select(row => string.Join("   ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>kubectl's age: 45s, 12m, 5h, 3d.</summary>
    public static string Age(DateTimeOffset since, DateTimeOffset now)
    {
        var age = now - since;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
