namespace Mesh.Grains.Proxies;

/// <summary>One bucket of the connected-proxy directory (in memory; proxies re-register periodically).</summary>
[Orleans.Placement.RandomPlacement]
public sealed class ProxyDirectoryGrain : Grain, IProxyDirectoryGrain
{
    private readonly SortedSet<string> _nodes = new(StringComparer.Ordinal);

    public Task Add(string nodeId)
    {
        _nodes.Add(nodeId);
        return Task.CompletedTask;
    }

    public Task Remove(string nodeId)
    {
        _nodes.Remove(nodeId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> NodeIds() => Task.FromResult<IReadOnlyList<string>>([.. _nodes]);
}
