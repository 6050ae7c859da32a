namespace Mesh.Bench.SidecarReport;

/// <summary>A long run of the mTLS pair at the fixed rate: each sidecar's RSS every few seconds. Growth is the mean
/// of the last fifth of the samples minus the mean of the first fifth (the sample taken before load left out).</summary>
public sealed record SoakCurve(string Name, ProcessSamples Samples)
{
    /// <summary>A soak shorter than this says nothing about growth.</summary>
    private const int MinimumSamples = 10;

    public IReadOnlyList<ProcessSamples.Sample> Loaded => Samples.All.Skip(1).ToList();

    public double GrowthMb
    {
        get
        {
            var loaded = Loaded;
            if (loaded.Count < MinimumSamples) return double.NaN;
            var fifth = loaded.Count / 5;
            return (loaded.TakeLast(fifth).Average(s => s.RssKb) - loaded.Take(fifth).Average(s => s.RssKb)) / 1024.0;
        }
    }

    public double MaxMb => Loaded.Count == 0 ? double.NaN : Loaded.Max(s => s.RssKb) / 1024.0;

    public static IReadOnlyList<SoakCurve> From(Manifest manifest) =>
        manifest.Of("soak").Select(s => new SoakCurve(s["name"], ProcessSamples.Read(s["samples"]))).ToList();
}

/// <summary>Time from a sidecar's process start to its /healthz/ready answering 200, per build, over several starts.</summary>
public sealed record Startup(string Build, IReadOnlyList<double> Ms)
{
    public double MedianMs
    {
        get
        {
            var sorted = Ms.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public static IReadOnlyList<Startup> From(Manifest manifest) => manifest.Of("ready")
        .GroupBy(r => r["build"])
        .Select(g => new Startup(g.Key, g.Select(r => r.Number("ms")).ToList()))
        .ToList();
}
