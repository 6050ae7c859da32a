using Mesh.Grains.Subscriptions;

namespace Mesh.Grains.Directories;

/// <summary>A persisted set of entries by key, whose subscribers are told the whole set when one entry changes: for
/// what the xDS side reads as a whole and rarely (the gateways and what they select, the ApiPolicies). Each kind of
/// entry has its own thin interface holding its grain key, and its own grain class and state, so that stored state
/// and grain types keep their names.</summary>
[Alias("mesh.IDirectoryGrain`1")]
public interface IDirectoryGrain<TEntry> : ISubscribable<IDirectoryObserver<TEntry>>
{
    /// <summary>Adds or replaces the entry under its key; an entry that says the same as the one held writes nothing.</summary>
    [Alias("Set")] Task Set(TEntry entry);
    [Alias("Remove")] Task Remove(string key);
    /// <summary>Every entry, ordered by key.</summary>
    [Alias("GetAll")] Task<List<TEntry>> GetAll();
}

/// <summary>Told with every entry, ordered by key, when one changes.</summary>
[Alias("mesh.IDirectoryObserver`1")]
public interface IDirectoryObserver<TEntry> : IGrainObserver
{
    [Orleans.Concurrency.OneWay, Alias("OnDirectoryChanged")] Task OnDirectoryChanged(List<TEntry> entries);
}
