using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Grains.Config;
using Mesh.Kubernetes.Registry;
using Mesh.Silo.Api;

namespace Mesh.Silo.Kubernetes.Source;

/// <summary>Writes the config the cluster stands for into the config grains, as the leader's only writer: a resource
/// is applied only when its content differs from what is stored, the source's own resources that are no longer
/// desired are deleted, and a resource without <see cref="SourceAnnotation.Key"/> (someone applied it through
/// Mesh's API) is never touched: that is a conflict, logged and reported. The config grain decides ownership in the
/// same turn as the write (it refuses the source's write to someone else's resource, and everyone else's write to the
/// source's); each write names the version this leader last stored, so a leader's late write does not overwrite its
/// successor's (<see cref="AtKnownVersion"/>).</summary>
public sealed partial class ConfigSync(IGrainFactory grains, ConfigCatalog catalog, ILogger logger)
{
    /// <summary>The source's own resources as stored, by key, as far as this leader knows.</summary>
    private Dictionary<string, StoredConfig> _owned = new(StringComparer.Ordinal);
    private readonly HashSet<string> _conflicts = new(StringComparer.Ordinal);
    /// <summary>Guards <see cref="_owned"/> and <see cref="_conflicts"/> while writes run in parallel.</summary>
    private readonly Lock _gate = new();
    private bool _loaded;

    /// <summary>How many writes a sync has in flight at once. A burst (the first list, a re-list, a rollout touching
    /// many slices) is then written as concurrent applies through the API are, sharing the store's commits, instead of
    /// one grain call after another (bench/README.md, "Kubernetes propagation"). Each
    /// write is done, derived state included, when its grain call returns, and the only writes whose derived state
    /// depends on each other are kept apart (<see cref="Apply"/>).</summary>
    private const int ParallelWrites = 16;

    /// <summary>Keys of desired resources that someone else owns (applied through the API), as of the last sync.</summary>
    public IReadOnlySet<string> Conflicts => _conflicts;

    /// <summary>Makes the stored config match <paramref name="desired"/>. <paramref name="readStored"/> re-reads what
    /// the source owns from the index first (after a takeover or a re-list: what another leader or an earlier run wrote).
    /// Returns how many writes failed; they are tried again on the next sync. What it owns under a key of
    /// <paramref name="kept"/> (an object whose new generation validation refused) is neither changed nor deleted.</summary>
    public async Task<int> Apply(IReadOnlyDictionary<string, Resource> desired, bool readStored, CancellationToken cancellation, IReadOnlySet<string>? kept = null)
    {
        if (readStored || !_loaded)
        {
            _owned = await StoredOwned(cancellation);
            _loaded = true;
        }
        var writes = desired.Select(d => (d.Key, Kind: d.Value.Kind, Write: ToWrite(d.Value)))
            .Where(d => !_owned.TryGetValue(d.Key, out var stored) || !d.Write.HasContentOf(stored)).ToList();
        // WorkloadEntries after everything else: a ServiceEntry's write reads the namespace's WorkloadEntries and sets
        // its hosts' workloads from them, so one written beside a WorkloadEntry of its own could set them without it
        // after the WorkloadEntry's write added it.
        var failures = 0;
        foreach (var phase in writes.GroupBy(d => d.Kind == ResourceKinds.WorkloadEntry).OrderBy(g => g.Key))
        {
            failures += await InParallel([.. phase], d => Write(d.Key, d.Write), d => d.Key, cancellation);
        }
        var gone = _owned.Keys.Where(k => !desired.ContainsKey(k) && kept?.Contains(k) != true).ToList();
        failures += await InParallel(gone, Remove, k => k, cancellation);
        _conflicts.RemoveWhere(k => !desired.ContainsKey(k));
        return failures;
    }

    /// <summary>Runs up to <see cref="ParallelWrites"/> writes at once; returns how many failed.</summary>
    private async Task<int> InParallel<T>(IReadOnlyList<T> items, Func<T, Task> write, Func<T, string> key, CancellationToken cancellation)
    {
        var failures = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = ParallelWrites, CancellationToken = cancellation }, async (item, _) =>
        {
            if (await Guarded(key(item), () => write(item)) > 0) Interlocked.Increment(ref failures);
        });
        return failures;
    }

    private async Task Write(string key, ConfigWrite write)
    {
        var grain = grains.GetGrain<IConfigGrain>(key);
        var result = await AtKnownVersion(Known(key), version => grain.Apply(write with { ExpectedResourceVersion = version }));
        lock (_gate)
        {
            if (result.Outcome == WriteOutcome.NotFromKubernetes)
            {
                _owned.Remove(key);
                if (_conflicts.Add(key)) LogConflict(logger, key);
                return;
            }
            if (result.Outcome == WriteOutcome.Conflict)
            {
                Learn(key, result.Config);
                throw new InvalidOperationException($"{key} was written meanwhile by another leader of the source (resourceVersion {result.CurrentResourceVersion}); the next sync writes it at that version");
            }
            _owned[key] = result.Config!;
            _conflicts.Remove(key);
        }
        LogWritten(logger, key, result.Outcome);
    }

    private async Task Remove(string key)
    {
        var grain = grains.GetGrain<IConfigGrain>(key);
        var result = await AtKnownVersion(Known(key), version => grain.Delete(version, dryRun: false, fromKubernetesSource: true));
        lock (_gate)
        {
            if (result.Outcome == WriteOutcome.Conflict)
            {
                Learn(key, result.Config);
                throw new InvalidOperationException($"{key} was written meanwhile by another leader of the source; the next sync deletes it at its new version");
            }
            _owned.Remove(key);
        }
        // Someone else's by now (deleted and applied through the API meanwhile): left alone.
        if (result.Outcome != WriteOutcome.NotFromKubernetes) LogDeleted(logger, key);
    }

    private StoredConfig? Known(string key)
    {
        lock (_gate) return _owned.GetValueOrDefault(key);
    }

    /// <summary>After a conflict: what is stored now, if it is still the source's (under <see cref="_gate"/>).</summary>
    private void Learn(string key, StoredConfig? current)
    {
        if (current is { FromKubernetes: true }) _owned[key] = current;
        else _owned.Remove(key);
    }

    /// <summary>Runs a write at the version this leader last stored (0: absent, to create), and once more at the stored
    /// version when only the status writer has moved it since (the same content as this leader stored). Any other
    /// newer version is another leader's (one before this one, whose last writes were still in flight, or after):
    /// a conflict, so a late write of a leader that lost the lease never lands over its successor's. (A late write to a
    /// key the successor did not write is not caught this way: that would take the lease's term in the write.)</summary>
    private static async Task<WriteResult> AtKnownVersion(StoredConfig? known, Func<long, Task<WriteResult>> write)
    {
        var result = await write(known?.ResourceVersion ?? 0);
        return result is { Outcome: WriteOutcome.Conflict, Config: { FromKubernetes: true } current } && known is not null && OnlyStatusMoved(known, current)
            ? await write(current.ResourceVersion)
            : result;
    }

    private static bool OnlyStatusMoved(StoredConfig known, StoredConfig current) =>
        new ConfigWrite { ApiVersion = known.ApiVersion, Labels = known.Labels, Annotations = known.Annotations, SpecJson = known.SpecJson }.HasContentOf(current);

    private async Task<int> Guarded(string key, Func<Task> write)
    {
        try
        {
            await write();
            return 0;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogWriteFailed(logger, error, key);
            return 1;
        }
    }

    private async Task<Dictionary<string, StoredConfig>> StoredOwned(CancellationToken cancellation)
    {
        var owned = new Dictionary<string, StoredConfig>(StringComparer.Ordinal);
        foreach (var kind in ResourceKinds.All)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var stored in await catalog.List(kind.Kind, null))
            {
                if (stored.FromKubernetes) owned[stored.Key] = stored;
            }
        }
        return owned;
    }

    private static ConfigWrite ToWrite(Resource resource) => ConfigWrite.Of(resource) with { FromKubernetesSource = true };

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Kubernetes source wrote {Key}: {Outcome}")]
    private static partial void LogWritten(ILogger logger, string key, WriteOutcome outcome);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Debug, Message = "Kubernetes source deleted {Key}: no longer in the cluster")]
    private static partial void LogDeleted(ILogger logger, string key);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Kubernetes source conflict: {Key} exists without the mesh.io/source: kubernetes annotation (applied through Mesh's API); it is left as it is")]
    private static partial void LogConflict(ILogger logger, string key);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Kubernetes source could not write {Key}; the next sync tries again")]
    private static partial void LogWriteFailed(ILogger logger, Exception error, string key);
}
