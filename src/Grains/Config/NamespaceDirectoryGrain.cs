using Orleans.Runtime;

namespace Mesh.Grains.Config;

/// <summary>One bucket of the namespace directory: namespace → the kinds it holds.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class NamespaceDirectoryGrain(
    [PersistentState("namespaces", StorageNames.Mesh)] IPersistentState<NamespaceDirectoryState> state) : Grain, INamespaceDirectoryGrain
{
    public async Task Add(string kind, string @namespace)
    {
        if (!state.State.Kinds.TryGetValue(@namespace, out var kinds))
        {
            kinds = [];
            state.State.Kinds[@namespace] = kinds;
        }
        if (kinds.Add(kind))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> Namespaces(string? kind) =>
        Task.FromResult<IReadOnlyList<string>>(
            [.. state.State.Kinds.Where(pair => kind is null || pair.Value.Contains(kind)).Select(pair => pair.Key).Order(StringComparer.Ordinal)]);
}

[GenerateSerializer, Alias("mesh.NamespaceDirectoryState")]
public sealed class NamespaceDirectoryState
{
    [Id(0)] public Dictionary<string, HashSet<string>> Kinds { get; set; } = [];
}
