using Mesh.Grains.Storage;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Mesh.Grains.Directories;

/// <summary>What every <see cref="IDirectoryGrain{TEntry}"/> does: persist before telling, tell only on a real change.
/// A thin sealed grain per kind of entry names its state (whose type and storage name must not change: they are the
/// stored data's identity) and says what an entry's key is and when two entries say the same.</summary>
public abstract class DirectoryGrain<TState, TEntry> : Grain, IDirectoryGrain<TEntry> where TState : class
{
    private readonly IPersistentState<TState> _state;
    private readonly Subscribers<IDirectoryObserver<TEntry>> _observers;

    protected DirectoryGrain(IPersistentState<TState> state, TimeSpan subscriptionExpiry, ILogger logger)
    {
        _state = state;
        _observers = new Subscribers<IDirectoryObserver<TEntry>>(subscriptionExpiry, logger);
    }

    /// <summary>The entries by key, inside the persisted state (read each time: a re-read replaces the state).</summary>
    protected abstract Dictionary<string, TEntry> Entries(TState state);

    protected abstract string KeyOf(TEntry entry);

    protected virtual bool Same(TEntry held, TEntry entry) => EqualityComparer<TEntry>.Default.Equals(held, entry);

    private Dictionary<string, TEntry> Held => Entries(_state.State);

    public Task Set(TEntry entry)
    {
        var key = KeyOf(entry);
        if (Held.TryGetValue(key, out var held) && Same(held, entry)) return Task.CompletedTask;
        Held[key] = entry;
        return Save();
    }

    public Task Remove(string key) => Held.Remove(key) ? Save() : Task.CompletedTask;

    public Task<List<TEntry>> GetAll() => Task.FromResult(All());

    public Task<Subscription> Subscribe(IDirectoryObserver<TEntry> observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(IDirectoryObserver<TEntry> observer) => _observers.Unsubscribe(observer);

    private List<TEntry> All() => [.. Held.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value)];

    private async Task Save()
    {
        await _state.WriteOrReread(s => s.WriteStateAsync(), DeactivateOnIdle);
        if (_observers.Count > 0)
        {
            var all = All();
            await _observers.Notify(observer => observer.OnDirectoryChanged(all));
        }
    }
}
