namespace Mesh.Grains.Config;

/// <summary>The names of one kind's resources in one namespace, keyed <c>Kind/namespace</c>. A name is added
/// before its resource is first stored and removed after it is deleted, so a listing never misses an
/// acknowledged resource (it may see a name whose resource is gone: readers skip those).</summary>
[Alias("mesh.IConfigIndexGrain")]
public interface IConfigIndexGrain : IGrainWithStringKey
{
    [Alias("Add")] Task Add(string name);
    [Alias("Remove")] Task Remove(string name);
    [Alias("Names")] Task<IReadOnlyList<string>> Names();
    /// <summary>How many names the index holds (it may count a resource whose first write did not complete).</summary>
    [Alias("Count")] Task<int> Count();
}
