namespace Mesh.Grains.Storage;

/// <summary>Commits a reentrant grain's state changes in batches: each caller's change is applied between storage
/// writes, never while one is in flight, and the caller returns once a write holding its change is durable. Many
/// concurrent callers cost a few writes, not one each.</summary>
/// <param name="write">Writes the grain's state.</param>
/// <param name="reread">Reads it back after a failed write, so memory matches storage again.</param>
public sealed class GroupCommit(Func<Task> write, Func<Task> reread)
{
    private readonly List<Action> _pending = [];
    private TaskCompletionSource _next = NewBatch();
    private Task? _committing;

    /// <summary>No change is waiting or being written: the state in memory is the state in storage.</summary>
    public bool IsIdle => _pending.Count == 0 && (_committing is null || _committing.IsCompleted);

    public Task Enqueue(Action change)
    {
        _pending.Add(change);
        var committed = _next.Task;
        if (_committing is null || _committing.IsCompleted)
        {
            _committing = Commit();
        }
        return committed;
    }

    private async Task Commit()
    {
        await Task.Yield();
        while (_pending.Count > 0)
        {
            var batch = _next;
            _next = NewBatch();
            var changes = _pending.ToList();
            _pending.Clear();
            try
            {
                foreach (var change in changes) change();
                await write();
                batch.SetResult();
            }
            catch (Exception exception)
            {
                // Not durable: every caller of the batch sees the failure.
                batch.SetException(exception);
                await reread();
            }
        }
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
