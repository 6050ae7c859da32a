using Mesh.Grains.Audit;

namespace Mesh.Silo.Audit;

/// <summary>Reads the audit trail newest first: the audit directory names the shards in the window, which are read an
/// hour at a time, newest hour first, until the limit is met. Only shards that exist are activated.</summary>
public sealed class AuditQuery(IGrainFactory grains)
{
    /// <summary>Shards one listing reads at most, however wide its window.</summary>
    public const int MaxShards = 2000;

    public async Task<AuditListing> List(AuditFilter filter)
    {
        var fromHour = AuditShards.HourOf(filter.Since);
        var buckets = filter.Namespace is { } ns ? [AuditShards.BucketOf(ns)] : Enumerable.Range(0, AuditShards.Buckets).Select(b => (long)b);
        var keys = await Task.WhenAll(buckets.Select(bucket => grains.GetGrain<IAuditDirectoryGrain>(bucket).Shards(filter.Namespace, fromHour)));
        var hours = keys.SelectMany(k => k).GroupBy(key => AuditShards.Split(key).Hour).OrderByDescending(hour => hour.Key, StringComparer.Ordinal).ToList();

        var found = new List<AuditRecord>();
        var notes = new List<string>();
        var read = 0;
        var hoursRead = 0;
        foreach (var hour in hours)
        {
            if (found.Count >= filter.Limit) break;
            if (read >= MaxShards)
            {
                notes.Add($"stopped after reading {MaxShards} shards (a namespace's hour each); narrow the listing with a later since, a namespace or a user");
                break;
            }
            var pages = await Task.WhenAll(hour.Select(async key => (Key: key, Page: await grains.GetGrain<IAuditLogGrain>(key).Read())));
            read += pages.Length;
            hoursRead++;
            foreach (var (key, page) in pages.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (page.Dropped > 0) notes.Add(DroppedNote(key, page.Dropped));
                found.AddRange(page.Entries.Where(entry => entry.Time >= filter.Since && (filter.User is null || entry.User == filter.User)));
            }
        }

        var newest = found.OrderByDescending(entry => entry.Time).ToList();
        if (newest.Count > filter.Limit || (newest.Count == filter.Limit && hoursRead < hours.Count))
        {
            notes.Add($"showing the newest {filter.Limit} entries; raise the limit or narrow the listing to see older ones");
            newest = [.. newest.Take(filter.Limit)];
        }
        return new AuditListing(newest, notes);
    }

    private static string DroppedNote(string key, long dropped)
    {
        var (ns, hour) = AuditShards.Split(key);
        return $"namespace {ns}, hour {hour}:00Z: {dropped} entries were not kept (at most {AuditLogGrain.MaxEntries} per namespace and hour; " +
            "writes that changed something displace the others, and the caller with the most of those gives way first); every entry is in the silo log, event 7001";
    }
}
