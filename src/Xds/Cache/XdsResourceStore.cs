using System.Collections.Concurrent;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Cache;

/// <summary>Translated resources by type and name, each kept with the input it was translated from, and who watches
/// them. A resource is translated again only for a new input, and a watcher hears of it only when its version (a
/// content hash) differs from the one watchers were last told of: the same content announces nothing.</summary>
internal sealed class XdsResourceStore
{
    private readonly ConcurrentDictionary<XdsResourceKey, Entry> _entries = new();
    private readonly ConcurrentDictionary<XdsResourceKey, ConcurrentDictionary<IXdsWatcher, byte>> _watchers = new();

    /// <summary>The resource as translated from <paramref name="input"/>: the stored one when it was translated from
    /// an equal input, else translated now and stored. Nobody is told: whoever asks gets it fresh, and the watchers
    /// hear of it from the <see cref="Update"/> that follows a new input (one asked for between a change and its
    /// update, as a proxy connecting meanwhile does, must not keep that update from telling them).</summary>
    public XdsResource? Get(XdsResourceKey key, object input, Func<XdsResource?> translate)
    {
        if (_entries.TryGetValue(key, out var entry) && Equals(entry.Input, input)) return entry.Resource;
        var resource = translate();
        // Only over the entry read above: an Update that stored a newer input meanwhile (and told its watchers) stays.
        var next = new Entry(input, resource, entry is null ? resource?.Version : entry.Told);
        if (entry is null) _entries.TryAdd(key, next);
        else _entries.TryUpdate(key, next, entry);
        return resource;
    }

    /// <summary>What each stored resource was translated from, as of now.</summary>
    public IReadOnlyList<(XdsResourceKey Key, object Input)> Inputs() =>
        [.. _entries.Select(e => (e.Key, e.Value.Input))];

    /// <summary>Stores what was translated again and tells watchers which versions changed, in the order given.</summary>
    /// <returns>The resources whose version changed.</returns>
    public IReadOnlyList<XdsResourceKey> Update(IEnumerable<Translated> translated, ChangeOrigin origin)
    {
        var changed = new List<XdsResourceKey>();
        foreach (var (key, input, resource, replaces) in translated)
        {
            var before = _entries.GetValueOrDefault(key);
            var after = new Entry(input, resource, resource?.Version);
            if (replaces is null) _entries[key] = after;
            // Translated from an input a newer one may have replaced meanwhile: the newer translation stays.
            else if (before is null || !Equals(before.Input, replaces) || !_entries.TryUpdate(key, after, before)) continue;
            if (before?.Told != resource?.Version) changed.Add(key);
        }
        if (changed.Count > 0) Announce(changed, origin);
        return changed;
    }

    /// <summary>Tells each watcher which of <paramref name="changed"/> it watches, in the order given.</summary>
    public void Announce(IReadOnlyList<XdsResourceKey> changed, ChangeOrigin origin)
    {
        var byWatcher = new Dictionary<IXdsWatcher, List<XdsResourceKey>>();
        foreach (var key in changed)
        {
            if (!_watchers.TryGetValue(key, out var watchers)) continue;
            foreach (var watcher in watchers.Keys)
            {
                if (!byWatcher.TryGetValue(watcher, out var list)) byWatcher[watcher] = list = [];
                list.Add(key);
            }
        }
        foreach (var (watcher, keys) in byWatcher) watcher.OnResourcesChanged(keys, origin);
    }

    public void Watch(IXdsWatcher watcher, string type, string name) =>
        _watchers.GetOrAdd((type, name), _ => new()).TryAdd(watcher, 0);

    public void Unwatch(IXdsWatcher watcher, string type, string name)
    {
        if (_watchers.TryGetValue((type, name), out var watchers)) watchers.TryRemove(watcher, out _);
    }

    /// <summary>A resource translated again. With <paramref name="Replaces"/>, it is stored only while the entry still
    /// holds that input.</summary>
    public readonly record struct Translated(XdsResourceKey Key, object Input, XdsResource? Resource, object? Replaces = null);

    // A class, not a record: an update replaces exactly the entry it read (reference equality).
    private sealed class Entry(object input, XdsResource? resource, string? told)
    {
        public object Input { get; } = input;
        public XdsResource? Resource { get; } = resource;
        /// <summary>The version watchers were last told of (or the first one translated).</summary>
        public string? Told { get; } = told;
    }
}
