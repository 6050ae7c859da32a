using System.Globalization;
using System.Text;
using Mesh.Bench.XdsLoad;

namespace Mesh.Bench.ScaleReport;

/// <summary>The markdown: the machine, every run's row, memory per silo, and the numbers reached against the issue's
/// targets (a miss is reported as the number reached, never rounded into a pass).</summary>
public static class Report
{
    public static string Markdown(ScaleRuns runs, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine("```").Append(machine.TrimEnd()).AppendLine().AppendLine("```").AppendLine();
        text.AppendLine(MarkdownRow.Header);
        foreach (var run in runs.All) text.AppendLine(MarkdownRow.Of(run));
        text.AppendLine().AppendLine("Memory per silo, first run on fresh silos (MB; mesh-dependent = RSS after − RSS before the mesh was applied):").AppendLine();
        text.AppendLine("| setup | proxies / services | RSS before the mesh | idle (mesh applied) | synced | after | GC heap after | mesh-dependent |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var run in runs.Fresh)
        {
            string Each(Func<RunResult.Silo, double?> value) => string.Join(" / ", run.Silos.Select(s => value(s) is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "-"));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {run.Label} | {run.Proxies:N0} / {run.Services:N0} | {Each(s => s.RssEmptyMb)} | {Each(s => s.RssIdleMb)} | {Each(s => s.RssSyncedMb)} | {Each(s => s.RssAfterMb)} | {Each(s => s.HeapAfterMb)} | {Each(s => ScaleRuns.MeshDependentMb(s))} |");
        }
        text.AppendLine().AppendLine("Against the targets:").AppendLine();
        foreach (var line in Targets(runs)) text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        return text.ToString();
    }

    private static IEnumerable<string> Targets(ScaleRuns runs)
    {
        foreach (var (proxies, services) in runs.Workloads)
        foreach (var protocol in runs.Protocols)
        {
            var target = proxies <= 2000 ? 150 : proxies <= 10000 ? 500 : (int?)null;
            if (target is null || runs.Curve(proxies, services, protocol).FirstOrDefault(p => p.Silos == 3).Run is not { } run) continue;
            yield return $"convergence p99 at {proxies:N0} proxies / {services:N0} services, 3 silos, {protocol}: **{run.Lone.P99Ms:0} ms** (target ≤ {target} ms: {(run.Lone.P99Ms <= target ? "met" : "missed")})";
        }
        foreach (var run in runs.Fresh.Where(r => r.Proxies == 2000 && r.Services == 1000))
        {
            var most = run.Silos.Max(s => s.RssAfterMb);
            yield return $"largest silo RSS at 2,000 / 1,000, {run.Label}: **{most:0} MB** (target ≤ 300 MB: {(most <= 300 ? "met" : "missed")})";
        }
        foreach (var (proxies, services) in runs.Workloads)
        {
            var curve = runs.Fresh.Where(r => r.Proxies == proxies && r.Services == services && ScaleRuns.OnRedis(r)).OrderBy(r => r.Silos.Count).ToList();
            if (curve.Count < 2) continue;
            var points = string.Join(", ", curve.Select(r => $"{r.Silos.Count} → {r.Silos.Average(ScaleRuns.MeshDependentMb):0} MB"));
            yield return $"mesh-dependent memory per silo at {proxies:N0} / {services:N0}, by silo count: {points}";
        }
    }
}
