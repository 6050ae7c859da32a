using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>A watch response: one JSON event per line (<c>{"type":...,"object":...}</c>), flushed as it happens,
/// BOOKMARKs every <see cref="FakeApiServerOptions.BookmarkInterval"/> when asked for, ended by
/// <c>timeoutSeconds</c> or by the server cutting it.</summary>
internal sealed class WatchStream(ObjectStore store, FakeApiServerOptions options)
{
    public async Task Serve(HttpContext context, ApiPath path)
    {
        var query = context.Request.Query;
        var filter = ResourceReads.Filter(path, query);
        var from = Version(query["resourceVersion"]);
        Watcher watcher;
        try
        {
            watcher = store.Watch(filter, from);
        }
        catch (ApiError expired) when (expired.Code == 410 && !options.ExpiredWatchAsHttpStatus)
        {
            await Start(context.Response);
            await Send(context.Response, StoredEvent.Error, expired.ToStatus());
            return;
        }
        try
        {
            await Start(context.Response);
            var bookmarks = query["allowWatchBookmarks"] == "true" || query["allowWatchBookmarks"] == "1";
            var timeout = double.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds) : options.WatchTimeout;
            using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            end.CancelAfter(timeout);
            await Pump(context.Response, watcher, bookmarks, end.Token);
        }
        finally
        {
            store.Feed.Unsubscribe(watcher);
        }
    }

    private async Task Pump(HttpResponse response, Watcher watcher, bool bookmarks, CancellationToken end)
    {
        try
        {
            while (true)
            {
                while (watcher.Events.TryRead(out var change)) await Send(response, change.Type, change.Object);
                var next = watcher.Events.WaitToReadAsync(end).AsTask();
                if (await Task.WhenAny(next, Task.Delay(options.BookmarkInterval, end)) == next)
                {
                    if (!await next) return; // cut by the server
                    continue;
                }
                end.ThrowIfCancellationRequested();
                if (bookmarks && store.Feed.BookmarkVersion(watcher) is { } version) await Send(response, StoredEvent.Bookmark, Bookmark(watcher, version));
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // timeoutSeconds reached or the client left: the stream ends cleanly, as the real server ends it.
        }
    }

    private static JsonObject Bookmark(Watcher watcher, long version) => new()
    {
        ["kind"] = watcher.Filter.Resource.Kind,
        ["apiVersion"] = watcher.Filter.Resource.GroupVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null },
    };

    private static async Task Start(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.StartAsync(response.HttpContext.RequestAborted);
    }

    private static async Task Send(HttpResponse response, string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";
        await response.WriteAsync(line, response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }

    /// <summary>Unset and "0" both start with the current state as ADDED events; a number resumes after it.</summary>
    private static long? Version(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "0") return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version : throw ApiError.BadRequest($"resourceVersion \"{text}\" is not a resourceVersion this server issued");
    }
}
