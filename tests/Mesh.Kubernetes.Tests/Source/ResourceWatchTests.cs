using System.Globalization;
using k8s;
using k8s.Models;
using Mesh.Kubernetes.Fake;
using Mesh.Kubernetes.Source;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Kubernetes.Tests.Source;

/// <summary>The list → watch → re-list loop against the fake API server, through each of a watch's bad days:
/// cuts, 410 Gone (as an ERROR event and as an HTTP status), bookmarks, and deletes it did not see.</summary>
public sealed class ResourceWatchTests : IAsyncLifetime
{
    private static readonly ApiResource Services = new("", "v1", "services");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly TestMeters _meters = new();
    private readonly RecordingObserver _observer = new();
    private FakeApiServer _server = null!;
    private k8s.Kubernetes _client = null!;
    private FakeApiServerOptions _options = null!;

    public Task InitializeAsync() => Start(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _meters.Dispose();
    }

    [Fact]
    public async Task CutWatches_ResumeFromTheLastVersion_WithoutLossDuplicatesOrAnotherList()
    {
        await Create("ratings");
        using var stop = new CancellationTokenSource();
        var (watch, running) = Run(stop.Token);
        await Until(() => _observer.Syncs == 1);

        for (var i = 0; i < 5; i++)
        {
            await Create($"reviews-{i}");
            _server.CutWatches();
            await Label("ratings", $"v{i}");
        }
        await Delete("reviews-0");
        await Until(() => SameAsServer());

        Assert.Equal(1, _server.Requests["list", "services"]);
        Assert.True(_server.Requests["watch", "services"] > 1);
        var upserts = _observer.Calls.Where(c => c.Call == "upserted").ToList();
        Assert.Equal(upserts.Count, upserts.Distinct().Count());
        Assert.Equal(1 + 5 + 5, upserts.Count); // ratings, 5 creates, 5 relabels: every version once
        await Stop(stop, running);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gone_WhileDisconnected_ReListsAndEndsInExactlyTheServerState(bool asHttpStatus)
    {
        await DisposeAsync();
        await Start(new FakeApiServerOptions { ExpiredWatchAsHttpStatus = asHttpStatus, BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        foreach (var name in new[] { "ratings", "reviews", "details" }) await Create(name);
        var watch = NewWatch();
        using (var first = new CancellationTokenSource())
        {
            var running = watch.Run(first.Token);
            await Until(() => _observer.Syncs == 1);
            await Stop(first, running);
        }
        var details = _observer.State["default/details"];

        // While it is away: one changed, one deleted, one created, and the history it would resume from forgotten.
        await Label("ratings", "v2");
        await Delete("reviews");
        await Create("productpage");
        _server.ShrinkHistory(0);

        using var stop = new CancellationTokenSource();
        var again = watch.Run(stop.Token);
        await Until(() => _observer.Syncs == 2);
        Assert.True(SameAsServer());
        Assert.Contains(("deleted", "default/reviews", _observer.Calls.Last(c => c.Key == "default/reviews").Version), _observer.Calls);
        // Unchanged objects are not reported again.
        Assert.Single(_observer.Calls, c => c.Call == "upserted" && c.Key == "default/details");
        Assert.Equal(details, _observer.State["default/details"]);

        // And it goes on watching after the re-list.
        _server.ShrinkHistory(1000);
        await Label("details", "v3");
        await Until(SameAsServer);
        await Stop(stop, again);
    }

    /// <summary>The observer fails on a change (a config write that failed); while the watch backs off, the server
    /// forgets its history and changes go on, so the retry gets 410 and must re-list in the middle of the writes.
    /// The failed change is not lost: the re-list brings it again.</summary>
    [Fact]
    public async Task Gone_MidChange_ConvergesOnTheServerState()
    {
        foreach (var name in new[] { "a", "b", "c", "d" }) await Create(name);
        using var stop = new CancellationTokenSource();
        var watch = new ResourceWatch(new ApiReader(_client), Services, _observer, new WatchOptions { MinBackoff = TimeSpan.FromMilliseconds(500) }, new SourceMetrics(_meters), NullLogger.Instance);
        var running = watch.Run(stop.Token);
        await Until(() => _observer.Syncs == 1);

        var failed = _observer.FailNextUpsertOf("default/a");
        await Label("a", "v2");
        await failed.WaitAsync(Deadline);
        _server.ShrinkHistory(0);
        await Delete("b");
        await Create("e");
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await Label("c", $"v{i}");
                if (i == 5) await Delete("d");
            }
        });
        await writer.WaitAsync(Deadline);
        _server.ShrinkHistory(1000);
        await Until(SameAsServer);
        Assert.Equal(2, _server.Requests["list", "services"]);
        Assert.DoesNotContain("default/b", _observer.State.Keys);
        Assert.DoesNotContain("default/d", _observer.State.Keys);
        Assert.Contains(_observer.Calls, c => c.Call == "upserted" && c.Key == "default/a" && c.Version == _observer.State["default/a"]);
        await Stop(stop, running);
    }

    [Fact]
    public async Task Bookmarks_AdvanceTheVersion_WithoutEventsOfItsOwnKind()
    {
        await Create("ratings");
        using var stop = new CancellationTokenSource();
        var (watch, running) = Run(stop.Token);
        await Until(() => _observer.Syncs == 1);
        var listed = long.Parse(watch.Version, CultureInfo.InvariantCulture);

        // Another kind's writes move the global resourceVersion; only a bookmark can tell this watch about it.
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "other", NamespaceProperty = "default" } }, "default");
        var latest = _server.Store.CurrentVersion;
        Assert.True(latest > listed);
        await Until(() => watch.Version == latest.ToString(CultureInfo.InvariantCulture));
        Assert.Single(_observer.Calls, c => c.Call == "upserted");
        await Stop(stop, running);
    }

    [Fact]
    public async Task List_IsPaged_AndSeesEveryObject()
    {
        for (var i = 0; i < 7; i++) await Create($"svc-{i}");
        using var stop = new CancellationTokenSource();
        var watch = new ResourceWatch(new ApiReader(_client), Services, _observer, new WatchOptions { PageSize = 3 }, new SourceMetrics(_meters), NullLogger.Instance);
        var running = watch.Run(stop.Token);
        await Until(() => _observer.Syncs == 1);
        Assert.True(SameAsServer());
        Assert.Equal(3, _server.Requests["list", "services"]);
        await Stop(stop, running);
    }

    [Fact]
    public async Task ServerDown_BacksOffAndRecovers()
    {
        using var stop = new CancellationTokenSource();
        var unreachable = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var watch = new ResourceWatch(new ApiReader(unreachable), Services, _observer, new WatchOptions { MinBackoff = TimeSpan.FromMilliseconds(50) }, new SourceMetrics(_meters), NullLogger.Instance);
        var running = watch.Run(stop.Token);
        await Task.Delay(300);
        Assert.False(running.IsCompleted);
        Assert.Equal(0, _observer.Syncs);
        await Stop(stop, running);
        unreachable.Dispose();
    }

    private async Task Start(FakeApiServerOptions options)
    {
        _options = options;
        _server = await FakeApiServer.Start(options);
        _client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = _server.Url.ToString().TrimEnd('/') });
    }

    private ResourceWatch NewWatch() =>
        new(new ApiReader(_client), Services, _observer, new WatchOptions { MinBackoff = TimeSpan.FromMilliseconds(20) }, new SourceMetrics(_meters), NullLogger.Instance);

    private (ResourceWatch Watch, Task Running) Run(CancellationToken stop)
    {
        var watch = NewWatch();
        return (watch, watch.Run(stop));
    }

    private static async Task Stop(CancellationTokenSource stop, Task running)
    {
        await stop.CancelAsync();
        await running.WaitAsync(Deadline);
    }

    private bool SameAsServer()
    {
        var (items, _) = _server.Store.List(Fake.Storage.WatchFilter.All(_options.Types.Find("", "v1", "services")!));
        var server = items.ToDictionary(ApiObjects.Key, ApiObjects.ResourceVersion);
        var held = _observer.State;
        return server.Count == held.Count && server.All(s => held.GetValueOrDefault(s.Key) == s.Value);
    }

    private Task Create(string name) => _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 9080 }] },
    }, "default");

    private async Task Label(string name, string version)
    {
        var service = await _client.CoreV1.ReadNamespacedServiceAsync(name, "default");
        service.Metadata.Labels = new Dictionary<string, string> { ["version"] = version };
        await _client.CoreV1.ReplaceNamespacedServiceAsync(service, name, "default");
    }

    private Task Delete(string name) => _client.CoreV1.DeleteNamespacedServiceAsync(name, "default");

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in time");
            await Task.Delay(20);
        }
    }
}
