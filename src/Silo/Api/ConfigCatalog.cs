using Mesh.Config.Selection;
using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

/// <summary>Reads stored resources across namespaces through the sharded directory and the per-namespace indexes,
/// a page at a time: one call per namespace, none per resource.</summary>
public sealed class ConfigCatalog(IGrainFactory grains)
{
    /// <summary>Namespaces asked at once for items while a page fills: enough to fill it in one round when
    /// namespaces are small, few enough not to fetch many pages' worth that are then dropped.</summary>
    private const int NamespacesPerRound = 4;

    /// <summary>Namespaces holding resources of the kind (or any kind, when null), from every directory bucket.</summary>
    public async Task<IReadOnlyList<string>> Namespaces(string? kind)
    {
        var buckets = await Task.WhenAll(Enumerable.Range(0, NamespaceDirectory.Buckets)
            .Select(bucket => grains.GetGrain<INamespaceDirectoryGrain>(bucket).Namespaces(kind)));
        return [.. buckets.SelectMany(b => b).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Resources of a kind in one namespace or, when <paramref name="namespace"/> is null, in all.</summary>
    public async Task<IReadOnlyList<StoredConfig>> List(string kind, string? @namespace) =>
        (await Page(kind, @namespace, new ListQuery(), after: null)).Items;

    /// <summary>One page in (namespace, name) order, starting after <paramref name="after"/>, and how many more
    /// items match after it. Each namespace is read when the page reaches it, so a continued page sees later writes.</summary>
    public async Task<CatalogPage> Page(string kind, string? @namespace, ListQuery query, (string Namespace, string Name)? after)
    {
        var only = @namespace ?? FieldSelector.Parse(query.FieldSelector).OnlyNamespace;
        var namespaces = only is not null ? [only] : await Namespaces(kind);
        var remainingNamespaces = new Queue<string>(namespaces.Where(ns => after is null || string.CompareOrdinal(ns, after.Value.Namespace) >= 0));
        var items = new List<StoredConfig>();
        long remaining = 0;
        while (remainingNamespaces.Count > 0 && items.Count < query.Limit)
        {
            var round = query.Limit == ListQuery.Unlimited ? remainingNamespaces.Count : NamespacesPerRound;
            var asked = Take(remainingNamespaces, round);
            var wanted = query.Limit - items.Count;
            var pages = await Task.WhenAll(asked.Select(ns => Index(kind, ns).Page(query with { After = AfterIn(ns, after), Limit = wanted })));
            foreach (var page in pages)
            {
                var taken = Math.Min(query.Limit - items.Count, page.Items.Count);
                items.AddRange(page.Items.Take(taken));
                remaining += page.Items.Count - taken + page.Remaining;
            }
        }
        if (remainingNamespaces.Count > 0)
        {
            // The page is full: the rest is only counted.
            var counts = await Task.WhenAll(remainingNamespaces.Select(ns => Index(kind, ns).Page(query with { After = AfterIn(ns, after), Limit = 0 })));
            remaining += counts.Sum(c => (long)c.Remaining);
        }
        return new CatalogPage(items, remaining);
    }

    /// <summary>How many resources of a kind the indexes hold, across namespaces: one call per namespace, none per resource.</summary>
    public async Task<long> Count(string kind)
    {
        var counts = await Task.WhenAll((await Namespaces(kind)).Select(ns => grains.ConfigIndex(kind, ns).Count()));
        return counts.Sum(c => (long)c);
    }

    private IConfigIndexGrain Index(string kind, string @namespace) => grains.ConfigIndex(kind, @namespace);

    private static string? AfterIn(string @namespace, (string Namespace, string Name)? after) =>
        after is { } key && key.Namespace == @namespace ? key.Name : null;

    private static List<string> Take(Queue<string> queue, int count)
    {
        var taken = new List<string>(Math.Min(count, queue.Count));
        while (taken.Count < count && queue.TryDequeue(out var next)) taken.Add(next);
        return taken;
    }
}

/// <summary>A page across namespaces, and how many matching items follow it.</summary>
public sealed record CatalogPage(IReadOnlyList<StoredConfig> Items, long Remaining);
