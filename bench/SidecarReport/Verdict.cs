using static Mesh.Bench.SidecarReport.Format;

namespace Mesh.Bench.SidecarReport;

/// <summary>One of the targets, judged from this run's numbers.</summary>
public sealed record Check(string Target, string Measured, bool? Met, string Note);

/// <summary>The targets against the run: the mTLS pair beside the nginx TLS pair, the sidecars' CPU and RSS,
/// one hop at saturation beside one nginx hop, the time to ready, and (after a soak) RSS growth.</summary>
public static class Verdict
{
    public const double LoadedMb = 40;
    private const double LatencyRatio = 1.5, CpuPer1000 = 0.15, IdleMb = 30, ReadyMs = 300, GrowthMb = 2;

    public static IEnumerable<Check> Judge(BenchResults results)
    {
        if (results.Path("mesh-mtls") is { } mesh && results.Path("nginx-tls") is { } pair)
        {
            foreach (var percent in new[] { 50.0, 99.0 })
                yield return Latency(percent, results.AddedMs(mesh, percent), results.AddedMs(pair, percent));
            foreach (var proxy in mesh.Proxies)
            {
                yield return AtMost($"CPU, {proxy.Name}", proxy.CpuPer1000, CpuPer1000, "vCPU per 1,000 req/s", 3);
                yield return AtMost($"RSS under load (max), {proxy.Name}", proxy.MaxMb, LoadedMb, "MB", 1);
                yield return AtMost($"RSS idle, {proxy.Name}", proxy.IdleMb, IdleMb, "MB", 1);
            }
        }
        foreach (var protocol in results.Saturation.Select(s => s.Protocol).Distinct())
        {
            var sidecar = results.Saturation.FirstOrDefault(s => s.Protocol == protocol && s.Key == "sidecar");
            var nginx = results.Saturation.FirstOrDefault(s => s.Protocol == protocol && s.Key == "nginx");
            if (sidecar is null || nginx is null) continue;
            var ratio = sidecar.Rps / nginx.Rps;
            yield return new Check($"one hop at saturation ≥ one nginx hop, {protocol}",
                $"{N(sidecar.Rps)} vs {N(nginx.Rps)} req/s ({F(ratio, 2)}×)", ratio >= 1,
                ratio >= 1 ? "" : $"short by {N(nginx.Rps - sidecar.Rps)} req/s");
        }
        var build = results.Manifest.Meta["sidecar"];
        if (results.Startups.FirstOrDefault(s => s.Build == build) is { } startup)
            yield return AtMost($"ready after process start, {build} (median of {startup.Ms.Count})", startup.MedianMs, ReadyMs, "ms", 0);
        foreach (var soak in results.Soak)
            yield return AtMost($"RSS growth over the soak (last fifth − first fifth), {soak.Name}", soak.GrowthMb, GrowthMb, "MB", 1);
    }

    private static Check Latency(double percent, double mesh, double nginx)
    {
        var ratio = nginx > 0 ? mesh / nginx : double.NaN;
        var within = nginx > 0 ? mesh <= LatencyRatio * nginx : mesh <= nginx;
        var beat = mesh <= nginx;
        return new Check($"added p{percent:0} of the mTLS pair within {LatencyRatio}× the nginx TLS pair's",
            $"{F(mesh)} vs {F(nginx)} ms ({F(ratio, 2)}×)", within,
            (beat ? "beat nginx" : "did not beat nginx") + (within ? "" : $"; over 1.5× by {F(mesh - LatencyRatio * nginx)} ms"));
    }

    private static Check AtMost(string target, double value, double limit, string unit, int digits) => new(
        $"{target} ≤ {limit} {unit}", $"{F(value, digits)} {unit}", double.IsNaN(value) ? null : value <= limit,
        double.IsNaN(value) || value <= limit ? "" : $"over by {F(value - limit, digits)} ({F(value / limit, 2)}×)");
}
