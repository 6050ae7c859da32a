using Mesh.Bench.XdsLoad;

namespace Mesh.Bench.ScaleReport;

/// <summary>The runs by workload (proxies and services) and setup (silo count, store).</summary>
public sealed class ScaleRuns(IReadOnlyList<RunResult> runs)
{
    public IReadOnlyList<RunResult> All => runs;

    /// <summary>Proxies and services of every workload, in the order run.</summary>
    public IReadOnlyList<(int Proxies, int Services)> Workloads => [.. runs.Select(r => (r.Proxies, r.Services)).Distinct()];

    public IReadOnlyList<string> Protocols => [.. runs.Select(r => r.Protocol).Distinct()];

    /// <summary>The Redis clusters' runs of one workload and protocol, by silo count (the embedded silo is not on the curve).</summary>
    public IReadOnlyList<(int Silos, RunResult Run)> Curve(int proxies, int services, string protocol) =>
        [.. runs.Where(r => r.Proxies == proxies && r.Services == services && r.Protocol == protocol && OnRedis(r))
            .Select(r => (r.Silos.Count, r)).OrderBy(p => p.Count)];

    /// <summary>The first run on each set of silos applied the mesh: its memory is the silos' own, without an earlier
    /// run's streams.</summary>
    public IReadOnlyList<RunResult> Fresh => [.. runs.Where(r => r.Silos.All(s => s.RssEmptyMb is not null))];

    public static bool OnRedis(RunResult run) => run.Label.Contains("Redis", StringComparison.Ordinal);

    /// <summary>What each silo holds because of the mesh and its proxies: RSS after the run minus RSS before the mesh was applied.</summary>
    public static double MeshDependentMb(RunResult.Silo silo) => silo.RssAfterMb - (silo.RssEmptyMb ?? double.NaN);
}
