using Envoy.Config.Cluster.V3;
using Mesh.Xds.Cache;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Server;

/// <summary>An in-memory <see cref="IXdsCache"/>: resources set by the test, watches recorded, changes announced when
/// the test says so (as the real cache does, only for watched resources).</summary>
internal sealed class FakeXdsCache : IXdsCache
{
    private readonly Dictionary<XdsResourceKey, XdsResource> _resources = [];
    private readonly Dictionary<XdsResourceKey, HashSet<IXdsWatcher>> _watchers = [];

    /// <summary>Sets a resource whose content (and so version) is given by <paramref name="content"/>.</summary>
    public XdsResource Set(string type, string name, string content = "v1")
    {
        // Any message will do: the stream only carries the payload and its version.
        var resource = XdsResource.Of(type, name, new Cluster { Name = name, AltStatName = content });
        lock (_resources) _resources[(type, name)] = resource;
        return resource;
    }

    public void Remove(string type, string name)
    {
        lock (_resources) _resources.Remove((type, name));
    }

    public bool IsWatched(string type, string name)
    {
        lock (_watchers) return _watchers.TryGetValue((type, name), out var watchers) && watchers.Count > 0;
    }

    /// <summary>Tells the watchers of these resources that they changed, in the order given.</summary>
    public void Announce(params XdsResourceKey[] changed)
    {
        List<IXdsWatcher> watchers;
        lock (_watchers) watchers = [.. changed.SelectMany(k => _watchers.GetValueOrDefault(k) ?? []).Distinct()];
        foreach (var watcher in watchers)
        {
            watcher.OnResourcesChanged([.. changed.Where(k => IsWatchedBy(watcher, k))], new ChangeOrigin(DateTimeOffset.UtcNow, null));
        }
    }

    public Task<XdsResource?> Get(string typeUrl, string name)
    {
        lock (_resources) return Task.FromResult(_resources.GetValueOrDefault((typeUrl, name)));
    }

    public void Watch(IXdsWatcher watcher, string typeUrl, string name)
    {
        lock (_watchers)
        {
            if (!_watchers.TryGetValue((typeUrl, name), out var watchers)) _watchers[(typeUrl, name)] = watchers = [];
            watchers.Add(watcher);
        }
    }

    public void Unwatch(IXdsWatcher watcher, string typeUrl, string name)
    {
        lock (_watchers) _watchers.GetValueOrDefault((typeUrl, name))?.Remove(watcher);
    }

    private bool IsWatchedBy(IXdsWatcher watcher, XdsResourceKey key)
    {
        lock (_watchers) return _watchers.GetValueOrDefault(key)?.Contains(watcher) == true;
    }
}
