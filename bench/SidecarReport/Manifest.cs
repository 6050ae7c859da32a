namespace Mesh.Bench.SidecarReport;

/// <summary>One line of the run's manifest: a kind, then tab-separated key=value fields. The script writes one line
/// per measured thing (a fixed-rate path, a proxy's sample file, a saturation run, a start, a soak).</summary>
public sealed record Entry(string Kind, IReadOnlyDictionary<string, string> Fields)
{
    public string this[string key] => Fields.TryGetValue(key, out var value)
        ? value
        : throw new InvalidDataException($"a '{Kind}' line has no '{key}'");

    public double Number(string key) => double.Parse(this[key], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The manifest (<c>manifest.tsv</c>) and the run's environment (<c>env.txt</c>), as the script left them.</summary>
public sealed class Manifest(IReadOnlyList<Entry> entries, IReadOnlyList<string> environment)
{
    public IReadOnlyList<string> Environment { get; } = environment;

    public IEnumerable<Entry> Of(string kind) => entries.Where(e => e.Kind == kind);

    public Entry Meta => Of("meta").Single();

    public static Manifest Read(string directory)
    {
        var entries = File.ReadLines(Path.Combine(directory, "manifest.tsv"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(parts => new Entry(parts[0], parts.Skip(1).Select(Field).ToDictionary(f => f.Key, f => f.Value)))
            .ToList();
        var envFile = Path.Combine(directory, "env.txt");
        return new Manifest(entries, File.Exists(envFile) ? File.ReadAllLines(envFile) : []);
    }

    private static KeyValuePair<string, string> Field(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0) throw new InvalidDataException($"manifest field '{text}' is not key=value");
        return new(text[..equals], text[(equals + 1)..]);
    }
}
