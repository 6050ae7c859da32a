using Mesh.Grains.Config;
using Mesh.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Mesh.Grains.Reconcile;

/// <summary>One outbox bucket. Adds and removes are group-committed; the sweep calls <see cref="IConfigGrain.Reconcile"/>
/// on each key pending longer than the delay, and the config grain removes its key once done. Reentrant, so that a
/// config grain can remove its key while the sweep waits on it.</summary>
[Reentrant]
[Orleans.Placement.RandomPlacement]
public sealed partial class OutboxGrain : Grain, IOutboxGrain
{
    private readonly IPersistentState<OutboxState> _state;
    private readonly ReconcileOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxGrain> _logger;
    private readonly GroupCommit _commit;
    /// <summary>When each key was added in this activation; keys read from storage are due at once.</summary>
    private readonly Dictionary<string, DateTimeOffset> _addedAt = new(StringComparer.Ordinal);
    private bool _sweeping;

    public OutboxGrain(
        [PersistentState("outbox", StorageNames.Mesh)] IPersistentState<OutboxState> state,
        IOptions<ReconcileOptions> options,
        TimeProvider time,
        ILogger<OutboxGrain> logger)
    {
        _state = state;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _commit = new GroupCommit(state.WriteStateAsync, Reread);
    }

    public Task Add(string resourceKey)
    {
        _addedAt[resourceKey] = _time.GetUtcNow();
        return _state.State.Keys.Contains(resourceKey) && _commit.IsIdle
            ? Task.CompletedTask
            : _commit.Enqueue(() => _state.State.Keys.Add(resourceKey));
    }

    /// <summary>Returns at once: a removal need not be durable before the caller goes on (the next commit writes it).
    /// Lost with this activation, it only costs one more idempotent reconcile from the sweep. An apply so waits for
    /// one outbox write (its add), not two.</summary>
    public Task Remove(string resourceKey)
    {
        _addedAt.Remove(resourceKey);
        if (_state.State.Keys.Contains(resourceKey) || !_commit.IsIdle)
        {
            _commit.Enqueue(() => _state.State.Keys.Remove(resourceKey)).Ignore();
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> Pending() => Task.FromResult<IReadOnlyList<string>>([.. _state.State.Keys]);

    public async Task<SweepResult> Sweep()
    {
        var pending = _state.State.Keys.Count;
        if (_sweeping) return new SweepResult(pending, 0);
        _sweeping = true;
        try
        {
            var now = _time.GetUtcNow();
            var due = _state.State.Keys
                .Where(key => !_addedAt.TryGetValue(key, out var added) || now - added >= _options.SweepDelay)
                .ToList();
            var reconciled = 0;
            foreach (var chunk in due.Chunk(Math.Max(1, _options.SweepParallelism)))
            {
                var results = await Task.WhenAll(chunk.Select(Reconcile));
                reconciled += results.Count(done => done);
            }
            return new SweepResult(pending, reconciled);
        }
        finally
        {
            _sweeping = false;
        }
    }

    private async Task<bool> Reconcile(string resourceKey)
    {
        try
        {
            var done = await GrainFactory.GetGrain<IConfigGrain>(resourceKey).Reconcile();
            LogSwept(_logger, resourceKey, done);
            return done;
        }
        catch (Exception exception)
        {
            LogSweepFailed(_logger, resourceKey, exception);
            return false;
        }
    }

    private Task Reread() => _state.RereadOr(DeactivateOnIdle);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Reconciled {Key} from the outbox (done: {Done})")]
    private static partial void LogSwept(ILogger logger, string key, bool done);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Reconciling {Key} from the outbox failed; the next sweep retries it")]
    private static partial void LogSweepFailed(ILogger logger, string key, Exception exception);
}

[GenerateSerializer, Alias("mesh.OutboxState")]
public sealed class OutboxState
{
    [Id(0)] public SortedSet<string> Keys { get; set; } = new(StringComparer.Ordinal);
}
