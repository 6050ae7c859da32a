namespace Mesh.Bench.XdsLoad;

/// <summary>One run's numbers, as bench/ScaleReport reads them (one JSON object per line).</summary>
public sealed record RunResult
{
    public required string Label { get; init; }
    public required DateTimeOffset Date { get; init; }
    public required string Protocol { get; init; }
    public required int Streams { get; init; }
    public required int Sidecars { get; init; }
    public required int Services { get; init; }
    /// <summary>Streams the silos failed before they synced: left out of the convergence numbers.</summary>
    public int Failed { get; init; }
    public required double SyncSeconds { get; init; }
    /// <summary>One change after a quiet period.</summary>
    public required Change Lone { get; init; }
    /// <summary>Changes applied back to back; convergence to the last one.</summary>
    public Change? Burst { get; init; }
    public required IReadOnlyList<Silo> Silos { get; init; }

    public int Proxies => Streams + Sidecars;

    /// <param name="ApplyMs">How long the apply calls took (acknowledged = durable): the part of convergence before any push.</param>
    public sealed record Change(int Applies, double P50Ms, double P99Ms, double MaxMs, long Bytes, double PushesPerStream, double[] CpuSeconds, double? ApplyMs = null);

    /// <summary>One silo: RSS before the mesh was applied (when this run applied it), before the streams, once they
    /// synced, after the changes; its managed heap at the same moments; its CPU for the initial sync.</summary>
    public sealed record Silo(double? RssEmptyMb, double RssIdleMb, double RssSyncedMb, double RssAfterMb,
        double? HeapIdleMb, double? HeapSyncedMb, double? HeapAfterMb, double SyncCpuSeconds);
}
