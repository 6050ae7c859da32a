using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Sidecar;

[CollectionDefinition(Name)]
public sealed class PlainMeshCollection : ICollectionFixture<PlainMesh>
{
    public const string Name = "plain mesh";
}

/// <summary>The smallest mesh a data-plane test needs: a control plane with its defaults, the test backend behind a
/// plain-text sidecar as <c>web.shop</c> (app=web, port 9080 protocol HTTP), and a client sidecar that tests send
/// through; tests also call web's inbound port directly, as a caller without a sidecar would.</summary>
public sealed class PlainMesh : IAsyncLifetime, IDisposable
{
    public const string Host = "web.shop.svc.cluster.local";
    private readonly WorkDir _dir = new("plain");
    private readonly List<IDisposable> _owned = [];

    public PlainMesh() => Silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--registration-lease", "00:00:05"]);

    public SiloProcess Silo { get; }
    public TestBackend Backend { get; private set; } = null!;
    public SidecarProcess Web { get; private set; } = null!;
    public SidecarProcess Client { get; private set; } = null!;
    public string WorkDir => _dir.Path;

    /// <summary>Web's sidecar refuses every path that starts with <c>/admin</c>.</summary>
    public const string DenyAdmin = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          action: DENY
          rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
        """;

    public static string Service(string name, string host) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: {{{name}}}, namespace: shop}
        spec:
          hosts: [{{{host}}}]
          location: MESH_INTERNAL
          ports: [{number: 9080, name: http, protocol: HTTP}]
          resolution: STATIC
          workloadSelector:
            labels:
              app: {{{name}}}
        """;

    public async Task InitializeAsync()
    {
        Silo.Start();
        await Silo.WaitReady();
        await Apply(Service("web", Host));
        (Backend, Web) = await Workload("web");
        Client = Own(new SidecarProcess(_dir.Path, "client", Silo.XdsPort, "shop", new Dictionary<string, string> { ["app"] = "client" }, null));
        await Client.WaitReady();
        await Timeouts.Until(async () => (await Send(Host, "/")).Status == 200, TimeSpan.FromSeconds(30), "the client reaches web");
    }

    /// <summary>A backend (HTTP/1.1 only, if asked) behind its own sidecar, labelled app=<paramref name="name"/>.</summary>
    public async Task<(TestBackend Backend, SidecarProcess Sidecar)> Workload(string name, bool http1Only = false)
    {
        var backend = Own(new TestBackend(_dir.Path, name, "v1", http1Only));
        await backend.WaitReady();
        var sidecar = Own(new SidecarProcess(_dir.Path, name, Silo.XdsPort, "shop", new Dictionary<string, string> { ["app"] = name }, backend.Port));
        await sidecar.WaitReady();
        return (backend, sidecar);
    }

    public async Task Apply(string manifest) => await Silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest });

    public async Task Delete(string kind, string name) => await Silo.Client.DeleteAsync(new DeleteRequest { Kind = kind, Namespace = "shop", Name = name });

    /// <summary>A request through the client sidecar to <paramref name="host"/>:9080, the path sent as written.</summary>
    public Task<Curl.Reply> Send(string host, string path, params string[] options)
        => Curl.Get($"http://127.0.0.1:{Client.OutboundPort}{path}", ["--path-as-is", "-H", $"Host: {host}:9080", .. options]);

    /// <summary>A request straight to web's inbound port, the path sent as written.</summary>
    public Task<Curl.Reply> SendDirect(string path) => Curl.Get($"http://127.0.0.1:{Web.InboundPort}{path}", "--path-as-is");

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_owned)) item.Dispose();
        Silo.Dispose();
        _dir.Dispose();
    }
}
