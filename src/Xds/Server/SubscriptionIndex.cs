using System.Collections.Concurrent;
using Mesh.Xds.Cache;

namespace Mesh.Xds.Server;

/// <summary>Which streams of this silo subscribe to which resources, so that a change reaches only those.</summary>
public sealed class SubscriptionIndex
{
    private readonly ConcurrentDictionary<(string Type, string Name), ConcurrentDictionary<IXdsStream, byte>> _streams = new();

    public SubscriptionIndex(XdsResourceCache cache) => cache.ResourcesChanged += Dispatch;

    public void Subscribe(IXdsStream stream, string type, string name) =>
        _streams.GetOrAdd((type, name), _ => new()).TryAdd(stream, 0);

    public void Unsubscribe(IXdsStream stream, string type, string name)
    {
        if (_streams.TryGetValue((type, name), out var streams)) streams.TryRemove(stream, out _);
    }

    private void Dispatch(IReadOnlyList<(string Type, string Name)> changed, ChangeOrigin origin)
    {
        var byStream = new Dictionary<IXdsStream, List<(string, string)>>();
        foreach (var key in changed)
        {
            if (!_streams.TryGetValue(key, out var streams)) continue;
            foreach (var stream in streams.Keys)
            {
                if (!byStream.TryGetValue(stream, out var list)) byStream[stream] = list = [];
                list.Add(key);
            }
        }
        foreach (var (stream, keys) in byStream)
        {
            stream.OnResourcesChanged(keys, origin);
        }
    }
}
