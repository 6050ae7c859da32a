namespace Mesh.Bench.SidecarReport;

/// <summary>Everything one run measured, read from its work folder.</summary>
public sealed record BenchResults(Manifest Manifest, IReadOnlyList<FixedRatePath> Paths, IReadOnlyList<SaturationRun> Saturation,
    IReadOnlyList<Startup> Startups, IReadOnlyList<SoakCurve> Soak, LatencyLog? SoakLatency)
{
    public FixedRatePath? Path(string key) => Paths.FirstOrDefault(p => p.Key == key);

    /// <summary>Istio's "added latency": the path's percentile minus the direct path's same percentile.</summary>
    public double AddedMs(FixedRatePath path, double percent) =>
        Path("direct") is { } direct ? path.Log.PercentileMs(percent) - direct.Log.PercentileMs(percent) : double.NaN;

    public static BenchResults Read(string directory)
    {
        var manifest = Manifest.Read(directory);
        var soakLog = manifest.Of("soaklog").Select(s => LatencyLog.Read(s["log"])).FirstOrDefault();
        return new BenchResults(manifest, FixedRatePath.From(manifest), SaturationRun.From(manifest),
            Startup.From(manifest), SoakCurve.From(manifest), soakLog);
    }
}

/// <summary>Numbers as the tables print them: invariant culture, "n/a" where nothing was measured.</summary>
public static class Format
{
    public static string F(double value, int digits = 3) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "n/a" : value.ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture);

    public static string N(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
