using Orleans.Runtime;

namespace Mesh.Grains.Config;

/// <summary>The names of one kind's resources in one namespace, keyed <c>Kind/namespace</c>.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class ConfigIndexGrain(
    [PersistentState("index", StorageNames.Mesh)] IPersistentState<ConfigIndexState> state) : Grain, IConfigIndexGrain
{
    public async Task Add(string name)
    {
        if (!state.State.Registered)
        {
            var key = this.GetPrimaryKeyString();
            var slash = key.IndexOf('/');
            var (kind, ns) = (key[..slash], key[(slash + 1)..]);
            await GrainFactory.GetGrain<INamespaceDirectoryGrain>(NamespaceDirectory.BucketOf(ns)).Add(kind, ns);
            state.State.Registered = true;
        }
        else if (state.State.Names.Contains(name))
        {
            return;
        }
        state.State.Names.Add(name);
        await state.WriteStateAsync();
    }

    public async Task Remove(string name)
    {
        if (state.State.Names.Remove(name))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> Names() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Names]);
}

[GenerateSerializer, Alias("mesh.ConfigIndexState")]
public sealed class ConfigIndexState
{
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public bool Registered { get; set; }
}
