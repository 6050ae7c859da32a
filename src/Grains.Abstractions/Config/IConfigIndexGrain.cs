namespace Mesh.Grains.Config;

/// <summary>The resources of one kind in one namespace, keyed <c>Kind/namespace</c>. The names are persisted: a
/// name is added before its resource is first stored and removed after it is deleted, so a listing never misses
/// an acknowledged resource (it may see a name whose resource is gone: readers skip those). The resources
/// themselves are held in memory only, put by the config grain after each durable write and before it
/// acknowledges, and read back from the config grains when the index activates; a list page is served from them.</summary>
[Alias("mesh.IConfigIndexGrain")]
public interface IConfigIndexGrain : IGrainWithStringKey
{
    [Alias("Add")] Task Add(string name);
    /// <summary>Removes the name (durably) and its resource (from memory).</summary>
    [Alias("Remove")] Task Remove(string name);
    /// <summary>The stored version of a resource whose name was added; an older version than the one held is ignored.</summary>
    [Alias("Put")] Task Put(StoredConfig config);
    [Alias("Names")] Task<IReadOnlyList<string>> Names();
    /// <summary>How many names the index holds (it may count a resource whose first write did not complete).</summary>
    [Alias("Count")] Task<int> Count();
    /// <summary>One page of resources in name order, without a call per resource.</summary>
    [Alias("Page")] Task<ListPage> Page(ListQuery query);
}
