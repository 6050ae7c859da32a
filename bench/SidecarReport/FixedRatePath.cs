namespace Mesh.Bench.SidecarReport;

/// <summary>What one proxy of a fixed-rate path cost: CPU seconds per 1,000 requests (at 1,000 req/s that is the
/// vCPU it keeps busy) and RSS idle (before the path's load), maximum and mean under load.</summary>
public sealed record ProxyCost(string Name, string Processes, double CpuPer1000, double IdleMb, double MaxMb, double MeanMb)
{
    /// <summary>CPU over the samples inside the requests' window, per 1,000 requests started between those samples.</summary>
    public static ProxyCost From(Entry proxy, LatencyLog log, double ticksPerSecond)
    {
        var samples = ProcessSamples.Read(proxy["samples"]);
        var load = samples.Between(log.FirstStart, log.LastEnd);
        var cpu = double.NaN;
        if (load.Count >= 2)
        {
            var requests = log.StartedBetween(load[0].Micros, load[^1].Micros);
            if (requests > 0) cpu = (load[^1].Ticks - load[0].Ticks) / ticksPerSecond / (requests / 1000.0);
        }
        return new ProxyCost(proxy["name"], proxy["processes"], cpu, samples.IdleMb,
            load.Count == 0 ? double.NaN : load.Max(s => s.RssKb) / 1024.0,
            load.Count == 0 ? double.NaN : load.Average(s => s.RssKb) / 1024.0);
    }
}

/// <summary>One path measured at a fixed rate: its per-request latencies and the cost of each proxy on it.</summary>
public sealed record FixedRatePath(string Key, string Label, LatencyLog Log, IReadOnlyList<ProxyCost> Proxies)
{
    public static IReadOnlyList<FixedRatePath> From(Manifest manifest)
    {
        var ticks = manifest.Meta.Number("clk_tck");
        return manifest.Of("fixed").Select(path =>
        {
            var log = LatencyLog.Read(path["log"]);
            var proxies = manifest.Of("proxy").Where(p => p["path"] == path["path"]).Select(p => ProxyCost.From(p, log, ticks)).ToList();
            return new FixedRatePath(path["path"], path["label"], log, proxies);
        }).ToList();
    }
}
