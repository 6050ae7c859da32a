using Mesh.Config.Selection;

namespace Mesh.Grains.Config;

/// <summary>The stored resources of one index, in memory, served as pages in ordinal name order. Not persisted:
/// it is refilled from the config grains after an activation (<see cref="BeginRefill"/>), while live puts and
/// removes keep arriving; a name that changed live during a refill keeps its live value.</summary>
public sealed class ConfigListing
{
    private readonly Dictionary<string, StoredConfig> _items = new(StringComparer.Ordinal);
    private string[]? _sorted;
    private HashSet<string>? _changedDuringRefill;

    public int Count => _items.Count;

    /// <summary>Holds <paramref name="config"/> unless a newer version of it is held already.</summary>
    public void Put(StoredConfig config)
    {
        _changedDuringRefill?.Add(config.Name);
        Store(config);
    }

    public void Remove(string name)
    {
        _changedDuringRefill?.Add(name);
        if (_items.Remove(name)) _sorted = null;
    }

    public void BeginRefill() => _changedDuringRefill = new(StringComparer.Ordinal);

    /// <summary>A resource read from its config grain during a refill: older than any live change of it.</summary>
    public void Refill(StoredConfig config)
    {
        if (_changedDuringRefill is { } changed && !changed.Contains(config.Name)) Store(config);
    }

    public void EndRefill() => _changedDuringRefill = null;

    public ListPage Page(ListQuery query, LabelSelector labels, FieldSelector fields)
    {
        var sorted = _sorted ??= [.. _items.Keys.Order(StringComparer.Ordinal)];
        var start = 0;
        if (query.After is { } after)
        {
            var found = Array.BinarySearch(sorted, after, StringComparer.Ordinal);
            start = found >= 0 ? found + 1 : ~found;
        }
        var items = new List<StoredConfig>(Math.Min(query.Limit, sorted.Length - start));
        var remaining = 0;
        var everything = labels.IsEverything && fields.IsEverything;
        for (var i = start; i < sorted.Length; i++)
        {
            if (items.Count == query.Limit && everything)
            {
                remaining = sorted.Length - i;
                break;
            }
            var config = _items[sorted[i]];
            if (!labels.Matches(config.Labels) || !fields.Matches(config.Namespace, config.Name)) continue;
            if (items.Count < query.Limit) items.Add(config); else remaining++;
        }
        return new ListPage { Items = items, Remaining = remaining };
    }

    private void Store(StoredConfig config)
    {
        if (_items.TryGetValue(config.Name, out var held))
        {
            if (held.ResourceVersion < config.ResourceVersion) _items[config.Name] = config;
            return;
        }
        _items[config.Name] = config;
        _sorted = null;
    }
}
