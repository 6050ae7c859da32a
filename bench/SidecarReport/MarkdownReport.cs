using static Mesh.Bench.SidecarReport.Format;

namespace Mesh.Bench.SidecarReport;

/// <summary>The run as markdown tables: the fixed-rate paths and their proxies' cost, saturation, startup, the soak,
/// and the verdict against the issue's targets.</summary>
public static class MarkdownReport
{
    public static void Write(TextWriter o, BenchResults results, IReadOnlyList<string> plots)
    {
        var meta = results.Manifest.Meta;
        o.WriteLine($"# Sidecar data-plane benchmark ({meta["sidecar"]} sidecar)");
        o.WriteLine();
        o.WriteLine($"Command: `{meta["command"]}`");
        o.WriteLine();
        foreach (var line in results.Manifest.Environment) o.WriteLine($"- {line}");
        o.WriteLine();
        FixedRate(o, results, meta);
        foreach (var plot in plots) o.WriteLine($"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})");
        o.WriteLine();
        Saturation(o, results, meta);
        Startups(o, results);
        Soak(o, results);
        o.WriteLine("## Verdict against the issue's targets");
        o.WriteLine();
        o.WriteLine("| target | measured | met | note |");
        o.WriteLine("|---|---|---|---|");
        foreach (var check in Verdict.Judge(results))
            o.WriteLine($"| {check.Target} | {check.Measured} | {check.Met switch { true => "yes", false => "**no**", null => "n/a" }} | {check.Note} |");
    }

    private static void FixedRate(TextWriter o, BenchResults results, Entry meta)
    {
        if (results.Paths.Count == 0) return;
        o.WriteLine($"## Fixed rate: {meta["rate"]} req/s over {meta["connections"]} keep-alive HTTP/1.1 connections, 1 KB, " +
            $"{meta["duration"]} s per path after {meta["warmup"]} s of warm-up");
        o.WriteLine();
        o.WriteLine("Percentiles from h2load's per-request log (nearest rank); added = the path's percentile minus direct's.");
        o.WriteLine();
        o.WriteLine("| path | requests | non-2xx | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | added p50 ms | added p90 ms | added p99 ms |");
        o.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var path in results.Paths)
        {
            var log = path.Log;
            o.WriteLine($"| {path.Label} | {N(log.Count)} | {log.Non2xx} | {F(log.Rate, 1)}{Held(log, meta)} | {F(log.PercentileMs(50))} | {F(log.PercentileMs(90))} | " +
                $"{F(log.PercentileMs(99))} | {F(log.PercentileMs(99.9))} | {Added(results, path, 50)} | {Added(results, path, 90)} | {Added(results, path, 99)} |");
        }
        o.WriteLine();
        o.WriteLine("Cost per proxy: CPU seconds (utime+stime) per 1,000 requests over the load window, which at 1,000 req/s is the vCPU " +
            "it keeps busy; RSS idle (before the path's load), max and mean of one sample a second under load.");
        o.WriteLine();
        o.WriteLine("| path | proxy | processes | CPU s per 1,000 req | RSS idle MB | RSS max MB | RSS mean MB |");
        o.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var path in results.Paths)
        foreach (var proxy in path.Proxies)
            o.WriteLine($"| {path.Label} | {proxy.Name} | {proxy.Processes} | {F(proxy.CpuPer1000)} | {F(proxy.IdleMb, 1)} | {F(proxy.MaxMb, 1)} | {F(proxy.MeanMb, 1)} |");
        o.WriteLine();
    }

    /// <summary>h2load sends a connection's next request only after its response: a path too slow for the rate
    /// falls behind it, and its percentiles are then those of a lower rate.</summary>
    private static string Held(LatencyLog log, Entry meta) =>
        log.Rate < 0.95 * meta.Number("rate") ? " (**rate not held**)" : "";

    private static string Added(BenchResults results, FixedRatePath path, double percent) =>
        path.Key == "direct" ? "-" : F(results.AddedMs(path, percent));

    private static void Saturation(TextWriter o, BenchResults results, Entry meta)
    {
        if (results.Saturation.Count == 0) return;
        o.WriteLine($"## Saturation: one hop, {meta["sat_connections"]} connections, 1 KB, {meta["sat_duration"]} s");
        o.WriteLine();
        o.WriteLine("| protocol | path | proxy | req/s | 2xx | not 2xx or failed | proxy cores used | req/s per proxy core |");
        o.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var run in results.Saturation)
            o.WriteLine($"| {run.Protocol} | {run.Label} | {run.Proxy} | {N(run.Rps)} | {N(run.Ok)} | {run.NotOk} | {F(run.CoresUsed, 2)} | {N(run.RpsPerCore)} |");
        o.WriteLine();
    }

    private static void Startups(TextWriter o, BenchResults results)
    {
        if (results.Startups.Count == 0) return;
        o.WriteLine("## Startup: process start to /healthz/ready = 200 (control plane reachable, polled every 5 ms)");
        o.WriteLine();
        o.WriteLine("| build | median ms | min ms | max ms | starts |");
        o.WriteLine("|---|---|---|---|---|");
        foreach (var s in results.Startups)
            o.WriteLine($"| {s.Build} | {F(s.MedianMs, 0)} | {F(s.Ms.Min(), 0)} | {F(s.Ms.Max(), 0)} | {s.Ms.Count} |");
        o.WriteLine();
    }

    private static void Soak(TextWriter o, BenchResults results)
    {
        if (results.Soak.Count == 0) return;
        o.WriteLine("## Soak: the mTLS pair at the fixed rate, RSS every 5 s");
        o.WriteLine();
        if (results.SoakLatency is { } log)
            o.WriteLine($"{N(log.Count)} requests, {log.Non2xx} non-2xx, {F(log.Rate, 1)} req/s, p50 {F(log.PercentileMs(50))} ms, p99 {F(log.PercentileMs(99))} ms.\n");
        o.WriteLine("| sidecar | samples | RSS at the start MB | RSS max MB | growth MB (last fifth − first fifth) |");
        o.WriteLine("|---|---|---|---|---|");
        foreach (var soak in results.Soak)
            o.WriteLine($"| {soak.Name} | {soak.Samples.All.Count} | {F(soak.Samples.IdleMb, 1)} | {F(soak.MaxMb, 1)} | {F(soak.GrowthMb, 1)} |");
        o.WriteLine();
    }
}
