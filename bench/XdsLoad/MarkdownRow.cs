using System.Globalization;

namespace Mesh.Bench.XdsLoad;

/// <summary>A run as one row of bench/README.md's tables: per-silo numbers joined with "/", silo by silo.</summary>
public static class MarkdownRow
{
    public const string Header = """
        | setup | protocol | proxyless + sidecars | services | initial sync s | lone change p50 / p99 / max ms (apply ms) | burst of N: p50 / p99 / max ms, pushes per stream | bytes per change | CPU s per silo: sync / lone change | RSS MB per silo: idle / synced / after |
        |---|---|---|---|---|---|---|---|---|---|
        """;

    public static string Of(RunResult r)
    {
        var burst = r.Burst is { } b ? $"{b.Applies}: {b.P50Ms:0} / {b.P99Ms:0} / {b.MaxMs:0}, {b.PushesPerStream:0.0}" : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {r.Label} | {r.Protocol} | {r.Streams:N0} + {r.Sidecars:N0}{(r.Failed > 0 ? $" (**{r.Failed} failed**)" : "")} | {r.Services:N0} | {r.SyncSeconds:0.0} | {r.Lone.P50Ms:0} / {r.Lone.P99Ms:0} / {r.Lone.MaxMs:0}{(r.Lone.ApplyMs is { } apply ? $" ({apply:0})" : "")} | {burst} | {r.Lone.Bytes:N0} | {PerSilo(r.Silos.Select(s => s.SyncCpuSeconds), "0.0")} / {PerSilo(r.Lone.CpuSeconds, "0.0")} | {string.Join("; ", r.Silos.Select(s => $"{s.RssIdleMb:0} / {s.RssSyncedMb:0} / {s.RssAfterMb:0}"))} |");
    }

    private static string PerSilo(IEnumerable<double> values, string format) =>
        "(" + string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture))) + ")";
}
