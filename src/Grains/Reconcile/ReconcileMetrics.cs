using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Mesh.Grains.Reconcile;

/// <summary>The outbox's instruments (meter <see cref="MeterName"/>): how much derived state was behind and repaired,
/// how many reconciles failed, and how many resources are pending now.</summary>
public sealed class ReconcileMetrics
{
    public const string MeterName = "Mesh.Reconcile";

    private readonly ConcurrentDictionary<int, int> _pending = new();
    private readonly Counter<long> _swept;
    private readonly Counter<long> _failed;

    public ReconcileMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _swept = meter.CreateCounter<long>("mesh.reconcile.swept", "{resource}",
            "Resources whose derived state the outbox sweep found behind and reconciled");
        _failed = meter.CreateCounter<long>("mesh.reconcile.failures", "{attempt}",
            "Reconciles that failed and were left in the outbox for the sweep");
        meter.CreateObservableGauge("mesh.reconcile.pending", () => _pending.Values.Sum(), "{resource}",
            "Resources pending in the outbox at the last sweep this silo asked for");
    }

    public void Swept(int count) => _swept.Add(count);

    public void Failed() => _failed.Add(1);

    public void Pending(int bucket, int count) => _pending[bucket] = count;
}
