using k8s;
using k8s.Autorest;
using k8s.Models;
using Mesh.Kubernetes.Fake.Tests.Infrastructure;

namespace Mesh.Kubernetes.Fake.Tests.Watch;

/// <summary>List then watch through KubernetesClient, with the rules a Kubernetes source must survive: resume
/// from a resourceVersion, bookmarks, 410 Expired, watches cut by the server, events held and reordered.</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        _client = Clients.For(_server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task WatchFromListVersion_SeesAddedModifiedDeletedThenABookmark()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings"), "default");
        var list = await _client.CoreV1.ListNamespacedServiceAsync("default");
        Assert.Equal("ratings", Assert.Single(list.Items).Metadata.Name);

        using var stop = new CancellationTokenSource(Within.Default);
        var events = Watch(list.Metadata.ResourceVersion, stop.Token);
        var reviews = await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews"), "default");
        reviews.Metadata.Labels = new Dictionary<string, string> { ["version"] = "v2" };
        await _client.CoreV1.ReplaceNamespacedServiceAsync(reviews, "reviews", "default");
        await _client.CoreV1.DeleteNamespacedServiceAsync("ratings", "default");
        var latest = _server.Store.CurrentVersion;

        // The watch is open while the writes are made: on a slow machine a bookmark may come between two of them.
        var seen = new List<(WatchEventType Type, string Name, long Version)>();
        await foreach (var (type, service) in events)
        {
            var version = long.Parse(service.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
            seen.Add((type, service.Metadata.Name ?? "", version));
            if (type == WatchEventType.Bookmark && version == latest) break;
        }
        var changes = seen.Where(e => e.Type != WatchEventType.Bookmark).ToList();
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], changes.Select(e => e.Type));
        Assert.Equal(["reviews", "reviews", "ratings"], changes.Select(e => e.Name));
        Assert.Equal(latest, changes[2].Version); // the DELETED object carries the deletion's resourceVersion
        Assert.Equal(WatchEventType.Bookmark, seen[^1].Type); // and a bookmark then promises everything up to it
        // No bookmark ever promises an event the stream has not sent yet: every change after one is newer than it.
        Assert.All(seen.Select((e, i) => (e, i)).Where(x => x.e.Type == WatchEventType.Bookmark), bookmark =>
            Assert.All(seen.Skip(bookmark.i + 1).Where(e => e.Type != WatchEventType.Bookmark),
                later => Assert.True(later.Version > bookmark.e.Version, $"a bookmark at {bookmark.e.Version} came before the event at {later.Version}")));
        Assert.Equal(1, _server.Requests["watch", "services"]);
    }

    [Fact]
    public async Task WatchWithoutVersion_StartsWithTheCurrentObjectsAsAdded()
    {
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings"), "default");
        using var stop = new CancellationTokenSource(Within.Default);
        await foreach (var (type, service) in Watch(null, stop.Token))
        {
            Assert.Equal((WatchEventType.Added, "ratings"), (type, service.Metadata.Name));
            break;
        }
    }

    /// <summary>KubernetesClient hands the ERROR event's Status to <c>onError</c> as a KubernetesException and
    /// ends the enumeration: a source must pass onError to learn that it has to list again.</summary>
    [Fact]
    public async Task WatchFromForgottenVersion_EndsWithAnErrorEventCarrying410()
    {
        var first = await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings"), "default");
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews"), "default");
        _server.ShrinkHistory(1);

        using var stop = new CancellationTokenSource(Within.Default);
        Exception? reported = null;
        var from = (long.Parse(first.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = _client.CoreV1.WatchListNamespacedServiceAsync("default", resourceVersion: from, onError: e => reported = e, cancellationToken: stop.Token);
        await foreach (var _ in events) Assert.Fail("no event may come from a forgotten resourceVersion");

        var error = Assert.IsType<KubernetesException>(reported);
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.StartsWith("too old resource version", error.Status.Message);
    }

    [Fact]
    public async Task WatchFromForgottenVersion_WithoutWatchCache_IsAnHttp410()
    {
        await using var server = await FakeApiServer.Start(new FakeApiServerOptions { ExpiredWatchAsHttpStatus = true });
        using var client = Clients.For(server);
        var first = await client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings"), "default");
        await client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews"), "default");
        server.ShrinkHistory(0);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ListNamespacedServiceWithHttpMessagesAsync("default", watch: true, resourceVersion: first.Metadata.ResourceVersion).Deadline());
        Assert.Equal(System.Net.HttpStatusCode.Gone, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Expired\"", error.Response.Content);
    }

    [Fact]
    public async Task CutWatches_EndsTheStreamAfterItsEvents()
    {
        var list = await _client.CoreV1.ListNamespacedServiceAsync("default");
        using var stop = new CancellationTokenSource(Within.Default);
        var drained = Task.Run(async () =>
        {
            var names = new List<string>();
            await foreach (var (_, service) in Watch(list.Metadata.ResourceVersion, stop.Token, bookmarks: false)) names.Add(service.Metadata.Name);
            return names;
        });
        await WaitFor(() => _server.OpenWatches == 1);
        Assert.Equal(1, _server.OpenWatchesOn("services"));
        Assert.Equal(0, _server.OpenWatchesOn("virtualservices.networking.istio.io"));
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings"), "default");
        await Task.Delay(100);
        _server.CutWatches();
        Assert.Equal(["ratings"], await drained.Deadline());
        Assert.Equal(0, _server.OpenWatches);
    }

    /// <summary>KubernetesClient reads a watch's first line before the call returns, so a watch the server ends
    /// before any event (a cut, or timeoutSeconds) surfaces as an HttpRequestException, not as an empty stream.</summary>
    [Fact]
    public async Task CutWatches_BeforeAnyEvent_IsAnHttpRequestExceptionInKubernetesClient()
    {
        var list = await _client.CoreV1.ListNamespacedServiceAsync("default");
        using var stop = new CancellationTokenSource(Within.Default);
        var drained = Task.Run(async () =>
        {
            await foreach (var _ in Watch(list.Metadata.ResourceVersion, stop.Token, bookmarks: false)) { }
        });
        await WaitFor(() => _server.OpenWatches == 1);
        _server.CutWatches();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => drained.Deadline());
        Assert.IsType<EndOfStreamException>(error.InnerException);
    }

    [Fact]
    public async Task TimeoutSeconds_EndsTheStreamOnTime()
    {
        var list = await _client.CoreV1.ListNamespacedServiceAsync("default");
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(Within.Default);
        var events = _client.CoreV1.WatchListNamespacedServiceAsync("default", resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, timeoutSeconds: 1, cancellationToken: stop.Token);
        var bookmarks = 0;
        await foreach (var (type, _) in events) bookmarks += type == WatchEventType.Bookmark ? 1 : 0;
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.InRange(bookmarks, 1, 6); // one per 200 ms while it lasted (fewer on a loaded machine: timers fire late)
    }

    [Fact]
    public async Task HeldEvents_AreDeliveredInTheOrderTheTestGives()
    {
        var list = await _client.CoreV1.ListNamespacedServiceAsync("default");
        using var stop = new CancellationTokenSource(Within.Default);
        var events = Watch(list.Metadata.ResourceVersion, stop.Token, bookmarks: false).GetAsyncEnumerator(stop.Token);
        var first = events.MoveNextAsync().AsTask();
        _server.HoldEvents();
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings"), "default");
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews"), "default");
        await Task.Delay(200);
        Assert.False(first.IsCompleted); // stored, not yet seen

        _server.ReleaseEvents(held => held.Reverse());
        Assert.True(await first.Deadline());
        Assert.Equal("reviews", events.Current.Item2.Metadata.Name);
        Assert.True(await events.MoveNextAsync().AsTask().Deadline());
        Assert.Equal("ratings", events.Current.Item2.Metadata.Name);
        await events.DisposeAsync();
    }

    /// <summary>A bookmark promises every event up to its resourceVersion, so while events are held it must not
    /// pass them: a client resuming from it would lose them.</summary>
    [Fact]
    public async Task Bookmarks_WhileEventsAreHeld_DoNotPassTheHeldEvents()
    {
        var list = await _client.CoreV1.ListNamespacedServiceAsync("default");
        _server.HoldEvents();
        var held = await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("ratings"), "default");
        using var stop = new CancellationTokenSource(Within.Default);
        var seen = new List<(WatchEventType Type, string Version)>();
        await foreach (var (type, service) in Watch(list.Metadata.ResourceVersion, stop.Token))
        {
            seen.Add((type, service.Metadata.ResourceVersion));
            if (seen.Count == 1) _server.ReleaseEvents();
            if (type == WatchEventType.Added) break;
        }
        Assert.Equal((WatchEventType.Bookmark, list.Metadata.ResourceVersion), seen[0]);
        Assert.Equal((WatchEventType.Added, held.Metadata.ResourceVersion), seen[^1]);
    }

    [Fact]
    public async Task LabelSelectedWatch_SeesAnObjectLeavingTheSelectionAsDeleted()
    {
        var reviews = await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("reviews", new Dictionary<string, string> { ["app"] = "reviews" }), "default");
        using var stop = new CancellationTokenSource(Within.Default);
        var events = _client.CoreV1.WatchListNamespacedServiceAsync("default", labelSelector: "app in (reviews)", resourceVersion: reviews.Metadata.ResourceVersion, cancellationToken: stop.Token)
            .GetAsyncEnumerator(stop.Token);
        var next = events.MoveNextAsync().AsTask();
        await _client.CoreV1.CreateNamespacedServiceAsync(Clients.Service("other"), "default");
        reviews.Metadata.Labels = new Dictionary<string, string> { ["app"] = "ratings" };
        await _client.CoreV1.ReplaceNamespacedServiceAsync(reviews, "reviews", "default");

        Assert.True(await next.Deadline());
        Assert.Equal((WatchEventType.Deleted, "reviews"), (events.Current.Item1, events.Current.Item2.Metadata.Name));
        await events.DisposeAsync();
    }

    private IAsyncEnumerable<(WatchEventType, V1Service)> Watch(string? resourceVersion, CancellationToken cancel, bool bookmarks = true) =>
        _client.CoreV1.WatchListNamespacedServiceAsync("default", allowWatchBookmarks: bookmarks, resourceVersion: resourceVersion, cancellationToken: cancel);

    private static async Task WaitFor(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Within.Default);
        while (!condition()) await Task.Delay(20, deadline.Token);
    }
}
