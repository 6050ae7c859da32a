namespace Mesh.Grains.Reconcile;

/// <summary>How the outbox is swept (section <c>Mesh:Reconcile</c>).</summary>
public sealed class ReconcileOptions
{
    /// <summary>How often each silo asks every outbox bucket to sweep (default 2 s).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a key stays pending before the sweep takes it over from the write that added it (default
    /// 2 s; a write reconciles its own key within milliseconds unless something failed).</summary>
    public TimeSpan SweepDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Reconciles one bucket runs at once.</summary>
    public int SweepParallelism { get; set; } = 16;
}
