using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Grains.Config;
using Mesh.Kubernetes.Registry;
using Mesh.Silo.Api;

namespace Mesh.Silo.Kubernetes.Source;

/// <summary>Writes the config the cluster stands for into the config grains, as the leader's only writer: a resource
/// is applied only when its content differs from what is stored, the source's own resources that are no longer
/// desired are deleted, and a resource without <see cref="SourceAnnotation.Key"/> (someone applied it through
/// Mesh's API) is never touched: that is a conflict, logged and reported. Every write names the resourceVersion it
/// expects, so a write racing the API's is refused by the grain instead of overwriting it.</summary>
public sealed partial class ConfigSync(IGrainFactory grains, ConfigCatalog catalog, ILogger logger)
{
    /// <summary>The source's own resources as stored, by key, as far as this leader knows.</summary>
    private Dictionary<string, StoredConfig> _owned = new(StringComparer.Ordinal);
    private readonly HashSet<string> _conflicts = new(StringComparer.Ordinal);
    private bool _loaded;

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
        var failures = 0;
        foreach (var (key, resource) in desired)
        {
            cancellation.ThrowIfCancellationRequested();
            var write = ToWrite(resource);
            if (_owned.TryGetValue(key, out var stored) && write.HasContentOf(stored)) continue;
            failures += await Guarded(key, () => Write(key, write));
        }
        foreach (var key in _owned.Keys.Where(k => !desired.ContainsKey(k) && kept?.Contains(k) != true).ToList())
        {
            cancellation.ThrowIfCancellationRequested();
            failures += await Guarded(key, () => Remove(key));
        }
        _conflicts.RemoveWhere(k => !desired.ContainsKey(k));
        return failures;
    }

    private async Task Write(string key, ConfigWrite write)
    {
        var grain = grains.GetGrain<IConfigGrain>(key);
        var expected = _owned.TryGetValue(key, out var known) ? known.ResourceVersion : await OwnedVersion(key);
        if (expected is null) return;
        var result = await AtOwnedVersion(grain, expected.Value, version => grain.Apply(write with { ExpectedResourceVersion = version }));
        if (result.Outcome == WriteOutcome.Conflict)
        {
            // Written meanwhile by someone else: learn who owns it now; the next sync writes again if it is still ours.
            _owned.Remove(key);
            throw new InvalidOperationException($"{key} changed while it was being written (resourceVersion {result.CurrentResourceVersion})");
        }
        _owned[key] = result.Config!;
        _conflicts.Remove(key);
        LogWritten(logger, key, result.Outcome);
    }

    private async Task Remove(string key)
    {
        var grain = grains.GetGrain<IConfigGrain>(key);
        var result = await AtOwnedVersion(grain, _owned[key].ResourceVersion, version => grain.Delete(version, dryRun: false, fromKubernetesSource: true));
        _owned.Remove(key);
        if (result.Outcome == WriteOutcome.Conflict)
        {
            // A new version even then (it keeps moving, or someone else wrote it): still ours, it is deleted at the
            // version then stored on the next sync; someone else's is left alone.
            if (await grain.Get() is { } current && current.FromKubernetes) _owned[key] = current;
            throw new InvalidOperationException($"{key} changed while it was being deleted");
        }
        LogDeleted(logger, key);
    }

    /// <summary>Runs a write at the version the source knows and, when that meets a newer version that is still the
    /// source's own, once more at that one. The status writer gives each resource it reports on a new version (its
    /// status), so without this every change or delete after a status write would conflict and wait for the next
    /// sync's retry, a second later; the spec is still the source's to set.</summary>
    private static async Task<WriteResult> AtOwnedVersion(IConfigGrain grain, long known, Func<long, Task<WriteResult>> write)
    {
        var result = await write(known);
        if (result.Outcome != WriteOutcome.Conflict || await grain.Get() is not { } current || !current.FromKubernetes) return result;
        return await write(current.ResourceVersion);
    }

    /// <summary>The version to expect when writing a key the source does not know as its own: 0 (absent) or the
    /// stored version of a resource it owns; null for someone else's, which is left alone.</summary>
    private async Task<long?> OwnedVersion(string key)
    {
        var current = await grains.GetGrain<IConfigGrain>(key).Get();
        if (current is null) return 0;
        if (current.FromKubernetes) return current.ResourceVersion;
        if (_conflicts.Add(key)) LogConflict(logger, key);
        return null;
    }

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
