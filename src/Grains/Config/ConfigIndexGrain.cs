using Mesh.Grains.Storage;
using Orleans.Concurrency;
using Orleans.Runtime;
using Mesh.Config.Keys;
using Mesh.Config.Selection;

namespace Mesh.Grains.Config;

/// <summary>The names of one kind's resources in one namespace, keyed <c>Kind/namespace</c>, and their stored
/// versions in memory for list pages. Concurrent adds and removes are committed together (group commit): each
/// caller returns once a write holding its change is durable, and a namespace with many writers does not queue
/// one storage write per caller. The persisted state stays the name set, so a write costs the same whatever the
/// size of the specs; the resources are read back from their grains once per activation.</summary>
[Reentrant]
[Orleans.Placement.RandomPlacement]
public sealed class ConfigIndexGrain : Grain, IConfigIndexGrain
{
    /// <summary>Config grains read at once while refilling, so a large namespace does not flood the cluster.</summary>
    private const int RefillBatch = 500;

    private readonly IPersistentState<ConfigIndexState> _state;
    /// <summary>Changes waiting for the next commit, visible to <see cref="Names"/> at once.</summary>
    private readonly Dictionary<string, bool> _pending = new(StringComparer.Ordinal);
    private readonly GroupCommit _commit;
    private readonly ConfigListing _listing = new();
    private Task? _refilled;
    private bool _kept;

    public ConfigIndexGrain([PersistentState("index", StorageNames.Mesh)] IPersistentState<ConfigIndexState> state)
    {
        _state = state;
        _commit = new GroupCommit(Write, Reread);
    }

    private ConfigIndexState State => _state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Not awaited: the refill reads config grains that may be waiting on this index (an apply's Put), so it
        // must run while this grain takes calls.
        _refilled = Refill();
        return Task.CompletedTask;
    }

    public Task Add(string name) => Change(name, present: true);

    public Task Remove(string name)
    {
        _listing.Remove(name);
        return Change(name, present: false);
    }

    public Task Put(StoredConfig config)
    {
        _listing.Put(config);
        KeepWhileHolding();
        return Task.CompletedTask;
    }

    public async Task<ListPage> Page(ListQuery query)
    {
        if (_refilled is null || _refilled.IsFaulted) _refilled = Refill();
        await _refilled;
        return _listing.Page(query, LabelSelector.Parse(query.LabelSelector), FieldSelector.Parse(query.FieldSelector));
    }

    public Task<IReadOnlyList<string>> Names()
    {
        var names = new SortedSet<string>(State.Names, StringComparer.Ordinal);
        foreach (var (name, present) in _pending)
        {
            if (present) names.Add(name); else names.Remove(name);
        }
        return Task.FromResult<IReadOnlyList<string>>([.. names]);
    }

    public async Task<int> Count() => (await Names()).Count;

    private async Task Refill()
    {
        await Task.Yield();
        _listing.BeginRefill();
        try
        {
            var (kind, @namespace) = ResourceKey.ParseIndex(this.GetPrimaryKeyString());
            foreach (var batch in (await Names()).Chunk(RefillBatch))
            {
                foreach (var config in await Task.WhenAll(batch.Select(name => GrainFactory.Config(kind, @namespace, name).Get())))
                {
                    if (config is not null) _listing.Refill(config);
                }
            }
        }
        finally
        {
            _listing.EndRefill();
        }
        KeepWhileHolding();
    }

    /// <summary>An index that holds resources is not collected when idle: the next list would read every one of them
    /// again. An empty one (a list of a namespace that has none) is collected as usual.</summary>
    private void KeepWhileHolding()
    {
        if (_listing.Count > 0 && !_kept)
        {
            DelayDeactivation(Timeout.InfiniteTimeSpan);
            _kept = true;
        }
    }

    private Task Change(string name, bool present)
    {
        if (!_pending.ContainsKey(name) && State.Names.Contains(name) == present && (!present || State.Registered))
        {
            return Task.CompletedTask;
        }
        _pending[name] = present;
        return _commit.Enqueue(() =>
        {
            if (_pending.TryGetValue(name, out var latest) && latest == present) _pending.Remove(name);
            if (present) State.Names.Add(name); else State.Names.Remove(name);
        });
    }

    /// <summary>Registers the kind and namespace in the namespace directory before the first name is stored, so a list
    /// across namespaces never misses a stored one, then writes the name set.</summary>
    private async Task Write()
    {
        if (!State.Registered && State.Names.Count > 0)
        {
            var (kind, @namespace) = ResourceKey.ParseIndex(this.GetPrimaryKeyString());
            await GrainFactory.GetGrain<INamespaceDirectoryGrain>(NamespaceDirectory.BucketOf(@namespace)).Add(kind, @namespace);
            State.Registered = true;
        }
        await _state.WriteStateAsync();
    }

    private Task Reread() => _state.RereadOr(DeactivateOnIdle);
}

[GenerateSerializer, Alias("mesh.ConfigIndexState")]
public sealed class ConfigIndexState
{
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public bool Registered { get; set; }
}
