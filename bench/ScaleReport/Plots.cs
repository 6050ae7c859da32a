using ScottPlot;

namespace Mesh.Bench.ScaleReport;

/// <summary>The PNGs: convergence p99 of a lone change against the silo count, and what one silo holds (RSS, and
/// the part of it the mesh and its proxies account for) against the silo count, a line per workload.</summary>
public static class Plots
{
    private const int Width = 1000, Height = 600;

    public static IEnumerable<string> Write(ScaleRuns runs, string directory)
    {
        yield return Convergence(runs, Path.Combine(directory, "convergence-p99.png"));
        yield return Memory(runs, Path.Combine(directory, "silo-rss.png"));
    }

    private static string Convergence(ScaleRuns runs, string file)
    {
        var plot = new Plot();
        foreach (var (proxies, services) in runs.Workloads)
        foreach (var protocol in runs.Protocols)
        {
            var curve = runs.Curve(proxies, services, protocol);
            if (curve.Count == 0) continue;
            var line = plot.Add.ScatterLine(curve.Select(p => (double)p.Silos).ToArray(), curve.Select(p => p.Run.Lone.P99Ms).ToArray());
            line.LegendText = $"{proxies:N0} proxies, {services:N0} services, {protocol}";
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }
        Target(plot, 150, "target at 2,000 proxies (150 ms)");
        Target(plot, 500, "target at 10,000 proxies (500 ms)");
        return Save(plot, runs, "Convergence p99 of a lone change (3 silos: the targets' setup)", "convergence p99, ms", file);
    }

    private static string Memory(ScaleRuns runs, string file)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var (proxies, services) in runs.Workloads)
        {
            var curve = runs.Fresh.Where(r => r.Proxies == proxies && r.Services == services && ScaleRuns.OnRedis(r))
                .OrderBy(r => r.Silos.Count).ToList();
            if (curve.Count == 0) continue;
            var color = palette.GetColor(index++);
            var xs = curve.Select(r => (double)r.Silos.Count).ToArray();
            var rss = plot.Add.ScatterLine(xs, curve.Select(r => r.Silos.Average(s => s.RssAfterMb)).ToArray());
            rss.LegendText = $"{proxies:N0} proxies, {services:N0} services: RSS per silo";
            rss.Color = color;
            rss.LineWidth = 2;
            rss.MarkerSize = 8;
            var mesh = plot.Add.ScatterLine(xs, curve.Select(r => r.Silos.Average(ScaleRuns.MeshDependentMb)).ToArray());
            mesh.LegendText = "  of which mesh-dependent (after − before the mesh)";
            mesh.Color = color;
            mesh.LinePattern = LinePattern.Dotted;
            mesh.LineWidth = 2;
            mesh.MarkerSize = 6;
        }
        Target(plot, 300, "target at 2,000 proxies / 1,000 services (300 MB)");
        plot.Axes.SetLimitsY(0, Math.Max(320, runs.Fresh.SelectMany(r => r.Silos).Select(s => s.RssAfterMb).DefaultIfEmpty(0).Max() * 1.1));
        return Save(plot, runs, "Memory of one silo (mean over the silos), after the run", "MB", file);
    }

    private static void Target(Plot plot, double value, string label)
    {
        var line = plot.Add.HorizontalLine(value);
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = label;
    }

    private static string Save(Plot plot, ScaleRuns runs, string title, string y, string file)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var silos in runs.All.Where(ScaleRuns.OnRedis).Select(r => r.Silos.Count).Distinct().Order()) ticks.AddMajor(silos, silos.ToString());
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Title($"{title}, {runs.All[0].Date:yyyy-MM-dd}");
        plot.XLabel("silos (Redis)");
        plot.YLabel(y);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(file, Width, Height);
        return file;
    }
}
