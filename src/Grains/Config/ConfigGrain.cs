using Mesh.Grains.Changes;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;
using Mesh.Config.Keys;

namespace Mesh.Grains.Config;

/// <summary>One config resource, keyed <c>Kind/namespace/name</c>.</summary>
[Orleans.Placement.RandomPlacement]
public sealed partial class ConfigGrain(
    [PersistentState("config", StorageNames.Mesh)] IPersistentState<ConfigState> state,
    ConfigDependents dependents,
    TimeProvider time,
    ILogger<ConfigGrain> logger) : Grain, IConfigGrain
{
    public const int HistoryLength = 10;

    private ResourceKey? _key;

    private string Kind => ResourceKeyParts.Kind;
    private ResourceKey ResourceKeyParts => _key ??= ResourceKey.Parse(this.GetPrimaryKeyString());

    public Task<StoredConfig?> Get() => Task.FromResult(state.State.Current);

    public Task<IReadOnlyList<StoredConfig>> History() => Task.FromResult<IReadOnlyList<StoredConfig>>(state.State.History);

    public async Task<WriteResult> Apply(ConfigWrite write)
    {
        var current = state.State.Current;
        var currentVersion = current?.ResourceVersion ?? 0;
        if (write.ExpectedResourceVersion is { } expected && expected != currentVersion)
        {
            return new WriteResult(WriteOutcome.Conflict, current, currentVersion);
        }
        if (current is not null && IsSameContent(current, write))
        {
            // A retry of a write whose Put below failed lands here: put it again so it is listed.
            await GrainFactory.ConfigIndex(current.Kind, current.Namespace).Put(current);
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
        };
        var outcome = current is null ? WriteOutcome.Created : WriteOutcome.Configured;
        if (write.DryRun)
        {
            return new WriteResult(outcome, next, currentVersion);
        }

        if (current is null)
        {
            // Index first: a listing may then name a resource not stored yet (readers skip it), but never
            // misses one that was acknowledged.
            await GrainFactory.ConfigIndex(kind, ns).Add(name);
        }
        await Persist(next, next.ResourceVersion);
        // Listed before it is published or acknowledged, so the next list through any silo shows the write.
        await GrainFactory.ConfigIndex(kind, ns).Put(next);
        await AfterChange(current is null ? ChangeType.Added : ChangeType.Modified, current, next, next);
        return new WriteResult(outcome, next, next.ResourceVersion);
    }

    public async Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun)
    {
        var current = state.State.Current;
        if (current is null)
        {
            return new WriteResult(WriteOutcome.NotFound, null, state.State.LastResourceVersion);
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
        await Persist(null, version);
        var (kind, ns, name) = ResourceKeyParts;
        await GrainFactory.ConfigIndex(kind, ns).Remove(name);
        await AfterChange(ChangeType.Deleted, current, null, current with { ResourceVersion = version });
        return new WriteResult(WriteOutcome.Deleted, current, version);
    }

    private async Task Persist(StoredConfig? next, long version)
    {
        var previous = state.State;
        var history = next is null ? previous.History : [next, .. previous.History.Take(HistoryLength - 1)];
        state.State = new ConfigState { Current = next, LastResourceVersion = version, History = history };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            // Not acknowledged. The write may still have reached storage (the reply was lost), so re-read
            // it on the next call instead of trusting either copy.
            LogWriteFailed(logger, this.GetPrimaryKeyString(), exception);
            state.State = previous;
            if (exception is InconsistentStateException)
            {
                DeactivateOnIdle();
            }
            throw;
        }
    }

    private async Task AfterChange(ChangeType type, StoredConfig? before, StoredConfig? after, StoredConfig published)
    {
        // The write is durable by now: failures below are logged, never reported as a failed write.
        try
        {
            await GrainFactory.GetGrain<INamespaceFeedGrain>(published.Namespace)
                .Publish(new ConfigChange(type, published.Kind, published.Namespace, published.Name, published.ResourceVersion, published));
        }
        catch (Exception exception)
        {
            LogPublishFailed(logger, published.Key, exception);
        }
        try
        {
            await dependents.OnChanged(Kind, before, after);
        }
        catch (Exception exception)
        {
            LogDependentsFailed(logger, published.Key, exception);
        }
    }

    private static bool IsSameContent(StoredConfig current, ConfigWrite write) =>
        current.ApiVersion == write.ApiVersion
        && current.SpecJson == write.SpecJson
        && SameMap(current.Labels, write.Labels)
        && SameMap(current.Annotations, write.Annotations);

    private static bool SameMap(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Storing {Key} failed; the write was not acknowledged")]
    private static partial void LogWriteFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Publishing the change of {Key} to its namespace feed failed; watchers catch up on their next resync")]
    private static partial void LogPublishFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Updating the services and endpoints that depend on {Key} failed")]
    private static partial void LogDependentsFailed(ILogger logger, string key, Exception exception);
}
