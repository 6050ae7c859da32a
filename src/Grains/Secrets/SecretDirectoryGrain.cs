using Mesh.Grains.Config;
using Mesh.Grains.Storage;
using Orleans.Runtime;

namespace Mesh.Grains.Secrets;

/// <summary>The credentials of one namespace, by name (info only), or on the <c>*</c> key the namespaces.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class SecretDirectoryGrain(
    [PersistentState("secrets", StorageNames.Mesh)] IPersistentState<SecretDirectoryState> state) : Grain, ISecretDirectoryGrain
{
    public async Task Set(SecretInfo info)
    {
        if (state.State.Secrets.TryGetValue(info.Name, out var known) && known.Version == info.Version && known.Updated == info.Updated) return;
        state.State.Secrets[info.Name] = info;
        await Write();
    }

    public async Task Remove(string name)
    {
        if (state.State.Secrets.Remove(name)) await Write();
    }

    public Task<IReadOnlyList<SecretInfo>> List() =>
        Task.FromResult<IReadOnlyList<SecretInfo>>([.. state.State.Secrets.Values.OrderBy(s => s.Name, StringComparer.Ordinal)]);

    public async Task AddNamespace(string @namespace)
    {
        if (state.State.Namespaces.Add(@namespace)) await Write();
    }

    public Task<IReadOnlyList<string>> ListNamespaces() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Namespaces.Order(StringComparer.Ordinal)]);

    private Task Write() => state.WriteOrReread(s => s.WriteStateAsync(), DeactivateOnIdle);
}

/// <summary>Persisted directory: a namespace's credentials' info, or (on the <c>*</c> key) namespace names.</summary>
[GenerateSerializer, Alias("mesh.SecretDirectoryState")]
public sealed class SecretDirectoryState
{
    [Id(0)] public Dictionary<string, SecretInfo> Secrets { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public HashSet<string> Namespaces { get; set; } = new(StringComparer.Ordinal);
}
