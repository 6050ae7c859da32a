using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Admission;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Http;
using Mesh.Kubernetes.Fake.Resources;
using Mesh.Kubernetes.Fake.Storage;
using Microsoft.AspNetCore.Builder;

namespace Mesh.Kubernetes.Fake;

/// <summary>A Kubernetes API server for tests, in-process on 127.0.0.1 (plain HTTP, no authentication): typed
/// storage with one global resourceVersion, list/watch with the real server's rules, the status subresource,
/// admission webhooks, the kinds of the CustomResourceDefinitions created in it, and switches that make a watch's bad
/// days happen on demand. Not a kube-apiserver: no RBAC, no field or CRD schema validation, no garbage collection
/// beyond a namespace's contents, no server-side apply.</summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EventFeed _feed;
    private readonly AdmissionChain _admission;

    private FakeApiServer(WebApplication app, Uri url, ObjectStore store, AdmissionChain admission, RequestCounts requests)
    {
        _app = app;
        _admission = admission;
        _feed = store.Feed;
        Url = url;
        Store = store;
        Requests = requests;
    }

    /// <summary>The base URL, <c>http://127.0.0.1:PORT</c>, for <c>kubectl --server</c> or a client's Host.</summary>
    public Uri Url { get; }

    public ObjectStore Store { get; }

    public RequestCounts Requests { get; }

    public int OpenWatches => _feed.OpenWatches;

    /// <inheritdoc cref="EventFeed.OpenWatchesOn"/>
    public int OpenWatchesOn(string resource) => _feed.OpenWatchesOn(resource);

    public static async Task<FakeApiServer> Start(FakeApiServerOptions? options = null)
    {
        options ??= new FakeApiServerOptions();
        var store = new ObjectStore(new EventFeed(options.HistoryLimit));
        foreach (var ns in options.Namespaces)
        {
            store.Create(ResourceTypes.Namespaces, new JsonObject
            {
                ["kind"] = "Namespace", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["name"] = ns }, ["status"] = new JsonObject { ["phase"] = "Active" },
            });
        }
        var requests = new RequestCounts();
        var admission = new AdmissionChain(store, options.Types, options);
        var router = new ApiRouter(options.Types, new ResourceReads(store), new ResourceWrites(store, admission, options.Types), new WatchStream(store, options), requests,
            new TokenEndpoints(new Authentication.ServiceAccountTokens(store, options.Types), requests));
        var (app, url) = await LoopbackHost.Start(app => app.Run(router.Handle));
        return new FakeApiServer(app, url, store, admission, requests);
    }

    /// <summary>Ends every open watch now; clients see their stream end and must watch again.</summary>
    public void CutWatches() => _feed.CutAll();

    /// <summary>From now on, changes are stored but their events wait, until <see cref="ReleaseEvents"/>.</summary>
    public void HoldEvents() => _feed.Hold();

    /// <summary>Delivers the held events, in the order <paramref name="order"/> gives (every one exactly once), or as they happened.</summary>
    public void ReleaseEvents(Func<IReadOnlyList<StoredEvent>, IEnumerable<StoredEvent>>? order = null) => _feed.Release(order);

    /// <summary>Keeps only the last <paramref name="keep"/> events: a watch from an older resourceVersion gets 410 Expired.</summary>
    public void ShrinkHistory(int keep) => _feed.Shrink(keep);

    public async ValueTask DisposeAsync()
    {
        _feed.CutAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _admission.Dispose();
    }
}
