using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Mesh.Kubernetes.Source;

/// <summary>One kind followed as the API's rules say: list (paged), then watch from the list's resourceVersion with
/// bookmarks; every event, bookmarks too, moves the version the next watch resumes from; a watch the server ends or
/// cuts is resumed from there; <c>410 Gone</c> means the history is gone, so it lists again and reconciles what it held
/// against the list (missing objects are reported deleted, changed ones upserted, unchanged ones not at all). Errors
/// back off exponentially. The observer thus sees each version of each object once, in the order they happened.</summary>
public sealed partial class ResourceWatch(ApiReader api, ApiResource resource, IResourceObserver observer, WatchOptions options, SourceMetrics metrics, ILogger logger)
{
    private readonly Dictionary<string, JsonObject> _held = new(StringComparer.Ordinal);
    private string _version = "";

    /// <summary>The resourceVersion a watch would resume from now; empty before the first list.</summary>
    public string Version => _version;

    public async Task Run(CancellationToken cancellation)
    {
        // A watch run again after it was stopped resumes from where it stopped; only the first run must list.
        var mustList = _version.Length == 0;
        var failures = 0;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                if (mustList)
                {
                    await Relist(cancellation);
                    mustList = false;
                }
                await foreach (var change in api.Watch(resource, _version, options.WatchTimeout, cancellation))
                {
                    await Apply(change, cancellation);
                    failures = 0;
                }
                // The server ended the watch (timeout, restart, a cut): resume where the last event left us.
            }
            catch (ResourceGoneException gone)
            {
                metrics.Gone(resource);
                LogGone(logger, resource, _version, gone.Message);
                mustList = true;
                // A 410 right after a list would loop hot against a server that forgets fast; after one it is normal.
                if (failures++ > 0) await Backoff(failures, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                metrics.Failed(resource);
                failures++;
                LogFailed(logger, error, resource, failures);
                await Backoff(failures, cancellation);
            }
        }
    }

    private async Task Relist(CancellationToken cancellation)
    {
        var (items, version) = await ListAll(cancellation);
        metrics.Relisted(resource);
        var listed = items.ToDictionary(ApiObjects.Key, StringComparer.Ordinal);
        foreach (var (key, gone) in _held.Where(h => !listed.ContainsKey(h.Key)).ToList())
        {
            await observer.Deleted(resource, gone, cancellation);
            _held.Remove(key);
        }
        foreach (var (key, obj) in listed)
        {
            if (_held.TryGetValue(key, out var held) && ApiObjects.ResourceVersion(held) == ApiObjects.ResourceVersion(obj)) continue;
            await observer.Upserted(resource, obj, cancellation);
            _held[key] = obj;
        }
        _version = version;
        LogListed(logger, resource, listed.Count, version);
        await observer.Synced(resource, version, cancellation);
    }

    /// <summary>Every page; a continue token that expired mid-way (410) starts the list over, since pages of
    /// different snapshots cannot be joined.</summary>
    private async Task<(List<JsonObject> Items, string Version)> ListAll(CancellationToken cancellation)
    {
        while (true)
        {
            var items = new List<JsonObject>();
            var page = await api.List(resource, options.PageSize, null, cancellation);
            items.AddRange(page.Items);
            var version = page.ResourceVersion;
            try
            {
                while (page.Continue.Length > 0)
                {
                    page = await api.List(resource, options.PageSize, page.Continue, cancellation);
                    items.AddRange(page.Items);
                }
                return (items, version);
            }
            catch (ResourceGoneException)
            {
                metrics.Gone(resource);
            }
        }
    }

    private async Task Apply(WatchEvent change, CancellationToken cancellation)
    {
        metrics.Event(resource, change.Type);
        var version = ApiObjects.ResourceVersion(change.Object);
        switch (change.Type)
        {
            case WatchEvent.Added or WatchEvent.Modified:
                var key = ApiObjects.Key(change.Object);
                if (_held.TryGetValue(key, out var held) && ApiObjects.ResourceVersion(held) == version) break;
                await observer.Upserted(resource, change.Object, cancellation);
                _held[key] = change.Object;
                break;
            case WatchEvent.Deleted:
                var gone = ApiObjects.Key(change.Object);
                if (!_held.ContainsKey(gone)) break;
                await observer.Deleted(resource, change.Object, cancellation);
                _held.Remove(gone);
                break;
        }
        // What is held and the version move only once the observer has it: a failure above resumes from before this
        // event, which then comes again instead of being lost or taken for a duplicate.
        if (version.Length > 0) _version = version;
    }

    private async Task Backoff(int failures, CancellationToken cancellation)
    {
        var exponent = Math.Min(failures - 1, 16);
        var delay = TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, options.MinBackoff.Ticks << exponent));
        // Jitter, so that silos or kinds failing together do not retry together.
        delay *= 0.75 + Random.Shared.NextDouble() / 2;
        try
        {
            await Task.Delay(delay, cancellation);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 7601, Level = LogLevel.Debug, Message = "Listed {Resource}: {Count} objects at resourceVersion {Version}")]
    private static partial void LogListed(ILogger logger, ApiResource resource, int count, string version);

    [LoggerMessage(EventId = 7602, Level = LogLevel.Information, Message = "Watch of {Resource} from resourceVersion {Version} is gone (410), listing again: {Reason}")]
    private static partial void LogGone(ILogger logger, ApiResource resource, string version, string reason);

    [LoggerMessage(EventId = 7603, Level = LogLevel.Warning, Message = "List or watch of {Resource} failed ({Failures} in a row); retrying after a back-off")]
    private static partial void LogFailed(ILogger logger, Exception error, ApiResource resource, int failures);
}
