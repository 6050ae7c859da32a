using Mesh.Grains.Config;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Mesh.Grains.Audit;

/// <summary>One namespace's audit entries for one hour. Concurrent appends are committed together: each caller
/// returns once a write holding its entries is durable. A shard keeps at most <see cref="MaxEntries"/>; when full,
/// an entry that changed something displaces a refused one (a flood of denied or invalid attempts cannot push real
/// changes out), and refused attempts are kept fairly between callers: a flood evicts only the flooder's own. What
/// is not kept is counted as dropped.</summary>
[Reentrant]
[Orleans.Placement.RandomPlacement]
public sealed class AuditLogGrain(
    [PersistentState("audit", StorageNames.Mesh)] IPersistentState<AuditLogState> state) : Grain, IAuditLogGrain
{
    public const int MaxEntries = 5000;

    private List<AuditRecord> _pending = [];
    private TaskCompletionSource _nextCommit = NewCommit();
    private Task? _committing;

    public Task Append(IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0) return Task.CompletedTask;
        _pending.AddRange(records);
        var committed = _nextCommit.Task;
        if (_committing is null || _committing.IsCompleted)
        {
            _committing = CommitLoop();
        }
        return committed;
    }

    public Task<AuditPage> Read() => Task.FromResult(new AuditPage([.. state.State.Entries], state.State.Dropped));

    /// <summary>Writes batches until nothing is pending. State changes only between writes, never while one is in flight.</summary>
    private async Task CommitLoop()
    {
        await Task.Yield();
        while (_pending.Count > 0)
        {
            var batch = _nextCommit;
            _nextCommit = NewCommit();
            var records = _pending;
            _pending = [];
            try
            {
                if (!state.State.Registered)
                {
                    // Directory first: a listing may then find an empty shard, but never misses a stored entry.
                    var (ns, hour) = AuditShards.Split(this.GetPrimaryKeyString());
                    await GrainFactory.GetGrain<IAuditDirectoryGrain>(AuditShards.BucketOf(ns)).Add(ns, hour);
                    state.State.Registered = true;
                }
                foreach (var record in records)
                {
                    Keep(state.State, record);
                }
                await state.WriteStateAsync();
                batch.SetResult();
            }
            catch (Exception exception)
            {
                // Not durable: the callers see the failure. Re-read so memory matches storage before the next batch.
                batch.SetException(exception);
                try { await state.ReadStateAsync(); } catch (Exception) { DeactivateOnIdle(); }
            }
        }
    }

    /// <summary>Adds the record, or when the shard is full, makes room fairly: the caller holding the most entries that
    /// changed nothing gives up its oldest one, to a change or to another caller's attempt while that caller holds
    /// fewer; anything else is dropped. A flood of refused attempts so evicts only the flooder's own entries.</summary>
    private static void Keep(AuditLogState log, AuditRecord record)
    {
        if (log.Entries.Count < MaxEntries)
        {
            log.Entries.Add(record);
            return;
        }
        log.Dropped++;
        var noise = log.Entries.Where(entry => !entry.IsChange).CountBy(entry => entry.User, StringComparer.Ordinal).ToList();
        if (noise.Count == 0) return;
        var heaviest = noise.MaxBy(pair => pair.Value);
        var mine = noise.FirstOrDefault(pair => pair.Key == record.User).Value;
        if (!record.IsChange && mine >= heaviest.Value) return;
        log.Entries.RemoveAt(log.Entries.FindIndex(entry => !entry.IsChange && entry.User == heaviest.Key));
        log.Entries.Add(record);
    }

    private static TaskCompletionSource NewCommit() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
