using Mesh.Grains.Changes;
using Mesh.Grains.Reconcile;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Mesh.Config.Keys;

namespace Mesh.Grains.Config;

/// <summary>One config resource, keyed <c>Kind/namespace/name</c>. A write is acknowledged once it is stored and its
/// key is pending in the outbox; the grains derived from it (services, the namespace feed) are then reconciled, at
/// once and, after any failure, by the outbox's sweep until they match (<see cref="Reconcile"/>).</summary>
[Orleans.Placement.RandomPlacement]
public sealed partial class ConfigGrain(
    [PersistentState("config", StorageNames.Mesh)] IPersistentState<ConfigState> state,
    ConfigDependents dependents,
    ReconcileMetrics metrics,
    TimeProvider time,
    ILogger<ConfigGrain> logger) : Grain, IConfigGrain
{
    public const int HistoryLength = 10;

    private ResourceKey? _key;
    /// <summary>The change this activation stored but has not published yet; null when it published every change it
    /// stored (an activation that stored nothing republishes the current state on its first reconcile).</summary>
    private ConfigChange? _unpublished;
    private long _publishedVersion;

    private string Kind => ResourceKeyParts.Kind;
    private ResourceKey ResourceKeyParts => _key ??= ResourceKey.Parse(this.GetPrimaryKeyString());

    public Task<StoredConfig?> Get() => Task.FromResult(state.State.Current);

    public Task<IReadOnlyList<StoredConfig>> History() => Task.FromResult<IReadOnlyList<StoredConfig>>(state.State.History);

    public async Task<WriteResult> Apply(ConfigWrite write)
    {
        var current = state.State.Current;
        var currentVersion = current?.ResourceVersion ?? 0;
        if (current is { FromKubernetes: true } && !write.FromKubernetesSource)
        {
            return new WriteResult(WriteOutcome.OwnedByKubernetes, current, currentVersion);
        }
        if (current is { FromKubernetes: false } && write.FromKubernetesSource)
        {
            return new WriteResult(WriteOutcome.NotFromKubernetes, current, currentVersion);
        }
        if (write.ExpectedResourceVersion is { } expected && expected != currentVersion)
        {
            return new WriteResult(WriteOutcome.Conflict, current, currentVersion);
        }
        if (current is not null && write.HasContentOf(current))
        {
            return new WriteResult(WriteOutcome.Unchanged, current, currentVersion);
        }

        var (kind, ns, name) = ResourceKeyParts;
        var now = time.GetUtcNow();
        var next = new StoredConfig
        {
            Kind = kind,
            Namespace = ns,
            Name = name,
            ApiVersion = write.ApiVersion,
            Labels = write.Labels,
            Annotations = write.Annotations,
            SpecJson = write.SpecJson,
            ResourceVersion = state.State.LastResourceVersion + 1,
            Generation = current is null ? 1 : current.SpecJson == write.SpecJson ? current.Generation : current.Generation + 1,
            Uid = current?.Uid ?? Guid.NewGuid().ToString(),
            CreatedAt = current?.CreatedAt ?? now,
            UpdatedAt = now,
            // Status is the controller's: an apply keeps it (its observedGeneration tells it is behind until recomputed).
            StatusJson = current?.StatusJson,
        };
        var outcome = current is null ? WriteOutcome.Created : WriteOutcome.Configured;
        if (write.DryRun)
        {
            return new WriteResult(outcome, next, currentVersion);
        }

        // The outbox first: once the write may be stored, its derived state is pending, even if this silo dies
        // before the next line or storage executes the write after its caller gave up.
        await PendingInOutbox();
        if (current is null)
        {
            // Index next: a listing may then name a resource not stored yet (readers skip it), but never
            // misses one that was acknowledged.
            await GrainFactory.ConfigIndex(kind, ns).Add(name);
        }
        await Persist(next, next.ResourceVersion);
        await AfterChange(new ConfigChange(current is null ? ChangeType.Added : ChangeType.Modified, kind, ns, name, next.ResourceVersion, next));
        return new WriteResult(outcome, next, next.ResourceVersion);
    }

    public Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun) => Delete(expectedResourceVersion, dryRun, fromKubernetesSource: false);

    public async Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun, bool fromKubernetesSource)
    {
        var current = state.State.Current;
        if (current is null)
        {
            return new WriteResult(WriteOutcome.NotFound, null, state.State.LastResourceVersion);
        }
        if (current.FromKubernetes && !fromKubernetesSource)
        {
            return new WriteResult(WriteOutcome.OwnedByKubernetes, current, current.ResourceVersion);
        }
        if (!current.FromKubernetes && fromKubernetesSource)
        {
            return new WriteResult(WriteOutcome.NotFromKubernetes, current, current.ResourceVersion);
        }
        if (expectedResourceVersion is { } expected && expected != current.ResourceVersion)
        {
            return new WriteResult(WriteOutcome.Conflict, current, current.ResourceVersion);
        }
        if (dryRun)
        {
            return new WriteResult(WriteOutcome.Deleted, current, current.ResourceVersion);
        }

        var version = state.State.LastResourceVersion + 1;
        await PendingInOutbox();
        await Persist(null, version);
        var (kind, ns, name) = ResourceKeyParts;
        await AfterChange(new ConfigChange(ChangeType.Deleted, kind, ns, name, version, current with { ResourceVersion = version }));
        return new WriteResult(WriteOutcome.Deleted, current, version);
    }

    public async Task SetStatus(string? statusJson)
    {
        if (state.State.Current is not { } current || current.StatusJson == statusJson) return;
        var version = state.State.LastResourceVersion + 1;
        var next = current with { StatusJson = statusJson, ResourceVersion = version };
        await Persist(next, version);
        // Listed and published as any version is; a step that fails is logged and the next write of the resource lists
        // and publishes its state again (the status is stored either way).
        var (kind, ns, name) = ResourceKeyParts;
        _unpublished = new ConfigChange(ChangeType.Modified, kind, ns, name, version, next);
        var key = ResourceKeyParts;
        await Attempt(key, () => GrainFactory.ConfigIndex(kind, ns).Put(next));
        await Attempt(key, PublishUnpublished);
    }

    public async Task<bool> Reconcile()
    {
        var key = ResourceKeyParts;
        // Listed (or unlisted) first, so the next list through any silo shows the write before it is published or acknowledged.
        var index = GrainFactory.ConfigIndex(key.Kind, key.Namespace);
        var listed = await Attempt(key, () => state.State.Current is { } current ? index.Put(current) : index.Remove(key.Name));
        var published = await Attempt(key, PublishUnpublished);
        IReadOnlyList<string> targets = [];
        var derived = await Attempt(key, async () =>
        {
            targets = await dependents.Targets(key, state.State.Current);
            // Hosts about to receive derived state are recorded first, so a reconcile cut short never leaves state
            // on a host that no later reconcile would visit.
            if (targets.Except(state.State.Reached, StringComparer.Ordinal).Any())
            {
                await PersistReached([.. state.State.Reached.Union(targets, StringComparer.Ordinal)]);
            }
            await dependents.Reconcile(key, state.State.Current, state.State.Reached);
        });
        if (!listed || !published || !derived) return false; // the key stays in the outbox: the sweep retries
        return await Attempt(key, async () =>
        {
            if (!state.State.Reached.SequenceEqual(targets, StringComparer.Ordinal))
            {
                // The hosts of older versions are clear now: only the current ones need visiting next time.
                await PersistReached([.. targets]);
            }
            await GrainFactory.Outbox(key.ToString()).Remove(key.ToString());
        });
    }

    private Task PersistReached(List<string> reached) => Persist(new ConfigState
    {
        Current = state.State.Current,
        LastResourceVersion = state.State.LastResourceVersion,
        History = state.State.History,
        Reached = reached,
    });

    private async Task PublishUnpublished()
    {
        if ((_unpublished ?? CurrentAsChange()) is { } change)
        {
            await GrainFactory.GetGrain<INamespaceFeedGrain>(change.Namespace).Publish(change);
            _publishedVersion = change.ResourceVersion;
        }
        _unpublished = null;
    }

    private async Task<bool> Attempt(ResourceKey key, Func<Task> step)
    {
        try
        {
            await step();
            return true;
        }
        catch (Exception exception)
        {
            metrics.Failed();
            LogReconcileFailed(logger, key.ToString(), exception);
            return false;
        }
    }

    private Task PendingInOutbox() => GrainFactory.Outbox(this.GetPrimaryKeyString()).Add(this.GetPrimaryKeyString());

    /// <summary>The current state as a change for the feed, when this activation has not published it.</summary>
    private ConfigChange? CurrentAsChange()
    {
        var (kind, ns, name) = ResourceKeyParts;
        var version = state.State.LastResourceVersion;
        if (version == 0 || version == _publishedVersion) return null;
        if (state.State.Current is { } current) return new ConfigChange(ChangeType.Modified, kind, ns, name, version, current);
        return state.State.History.FirstOrDefault() is { } last
            ? new ConfigChange(ChangeType.Deleted, kind, ns, name, version, last with { ResourceVersion = version })
            : null;
    }

    private Task Persist(StoredConfig? next, long version)
    {
        var previous = state.State;
        var history = next is null ? previous.History : [next, .. previous.History.Take(HistoryLength - 1)];
        var reached = previous.Reached.Union(ConfigDependents.Hosts(Kind, next), StringComparer.Ordinal).ToList();
        return Persist(new ConfigState { Current = next, LastResourceVersion = version, History = history, Reached = reached });
    }

    private async Task Persist(ConfigState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            // Not acknowledged. The write may still have reached storage (the reply was lost, or a stalled store
            // runs it later), so trust neither copy: the next call reads storage afresh in a new activation. The
            // key is pending in the outbox either way, so whatever storage ends up holding is reconciled.
            LogWriteFailed(logger, this.GetPrimaryKeyString(), exception);
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>The write is durable and pending in the outbox by now: a failure here is logged and left to the
    /// sweep, never reported as a failed write.</summary>
    private Task AfterChange(ConfigChange change)
    {
        _unpublished = change;
        return Reconcile();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Storing {Key} failed; the write was not acknowledged")]
    private static partial void LogWriteFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Reconciling the feed and the services that derive from {Key} failed; it stays in the outbox and the sweep retries it")]
    private static partial void LogReconcileFailed(ILogger logger, string key, Exception exception);
}
