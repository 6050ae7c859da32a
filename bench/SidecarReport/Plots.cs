using ScottPlot;

namespace Mesh.Bench.SidecarReport;

/// <summary>The PNGs beside the tables: the fixed-rate paths' latency by percentile (log latency, the tail spread
/// out as in HdrHistogram's plots) and, after a soak, each sidecar's RSS over time.</summary>
public static class Plots
{
    private const int Width = 1000, Height = 600;

    public static IEnumerable<string> Write(BenchResults results, string directory)
    {
        if (results.Paths.Count > 0) yield return Latency(results, Path.Combine(directory, "latency.png"));
        if (results.Soak.Count > 0) yield return SoakRss(results, Path.Combine(directory, "soak-rss.png"));
    }

    private static string Latency(BenchResults results, string file)
    {
        var plot = new Plot();
        var lowest = double.MaxValue;
        var highest = double.MinValue;
        foreach (var path in results.Paths)
        {
            var points = path.Log.Curve().ToList();
            // x: the number of nines (0 → 0%, 1 → 90%, 2 → 99%); y: log10 of the latency in ms.
            var xs = points.Select(p => -Math.Log10(1 - p.Percent / 100)).ToArray();
            var ys = points.Select(p => Math.Log10(Math.Max(p.Ms, 0.001))).ToArray();
            lowest = Math.Min(lowest, ys.Min());
            highest = Math.Max(highest, ys.Max());
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = path.Label;
            line.LineWidth = 2;
        }
        var percentiles = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (nines, label) in new[] { (0.0, "0%"), (Math.Log10(2), "50%"), (1.0, "90%"), (2.0, "99%"), (3.0, "99.9%"), (4.0, "99.99%") })
            percentiles.AddMajor(nines, label);
        plot.Axes.Bottom.TickGenerator = percentiles;
        plot.Axes.Left.TickGenerator = LogTicks(lowest, highest);
        plot.Axes.SetLimitsY(lowest - 0.05, highest + 0.05);
        return Save(plot, $"Latency by percentile at {results.Manifest.Meta["rate"]} req/s, 1 KB ({results.Manifest.Meta["date"]})",
            "percentile", "latency, ms (log scale)", Alignment.UpperLeft, file);
    }

    /// <summary>1, 2 and 5 of every decade between the lowest and the highest (log10) value.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double lowest, double highest)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = Math.Floor(lowest); decade <= Math.Ceiling(highest); decade++)
        foreach (var step in new[] { 1.0, 2.0, 5.0 })
        {
            var value = step * Math.Pow(10, decade);
            ticks.AddMajor(Math.Log10(value), value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }
        return ticks;
    }

    private static string SoakRss(BenchResults results, string file)
    {
        var plot = new Plot();
        foreach (var soak in results.Soak)
        {
            var samples = soak.Samples.All;
            var start = samples[0].Micros;
            var line = plot.Add.ScatterLine(
                samples.Select(s => (s.Micros - start) / 60e6).ToArray(),
                samples.Select(s => s.RssKb / 1024.0).ToArray());
            line.LegendText = soak.Name;
            line.LineWidth = 2;
        }
        var target = plot.Add.HorizontalLine(Verdict.LoadedMb);
        target.LinePattern = LinePattern.Dashed;
        target.LegendText = $"target under load ({Verdict.LoadedMb} MB)";
        plot.Axes.SetLimitsY(0, Math.Max(results.Soak.Max(s => s.MaxMb), Verdict.LoadedMb) * 1.2);
        return Save(plot, $"Sidecar RSS at {results.Manifest.Meta["rate"]} req/s, mTLS ({results.Manifest.Meta["date"]})",
            "minutes", "RSS, MB", Alignment.LowerRight, file);
    }

    private static string Save(Plot plot, string title, string x, string y, Alignment legend, string file)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.ShowLegend(legend);
        plot.SavePng(file, Width, Height);
        return file;
    }
}
