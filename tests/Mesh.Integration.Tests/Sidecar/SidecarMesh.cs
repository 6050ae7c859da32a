using System.Diagnostics;
using System.Text.Json.Nodes;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Sidecar;

/// <summary>A control plane, three test backends (reviews v1, v2, v3) each behind its own sidecar, and a client
/// sidecar that tests send through, as an application would: <c>Host: reviews:9080</c> to its outbound port.</summary>
public class SidecarMesh : IAsyncLifetime, IDisposable
{
    public const string Host = Bookinfo.Host;
    private readonly WorkDir _dir = new("sidecar");
    private readonly List<IDisposable> _owned = [];

    public SidecarMesh() => Silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--registration-lease", "00:00:05"],
        new Dictionary<string, string> { ["Logging__LogLevel__Mesh"] = "Debug" });

    public SiloProcess Silo { get; }
    public Dictionary<string, TestBackend> Backends { get; } = [];
    public Dictionary<string, SidecarProcess> Sidecars { get; } = [];
    public SidecarProcess Client { get; private set; } = null!;
    public string WorkDir => _dir.Path;
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };

    public virtual IReadOnlyList<string> Versions => ["v1", "v2", "v3"];

    public async Task InitializeAsync()
    {
        Silo.Start();
        await Silo.WaitReady();
        await Apply(BaseConfig);
        foreach (var version in Versions) await AddWorkload($"reviews-{version}", version);
        Client = Own(new SidecarProcess(_dir.Path, "client", Silo.XdsPort, "bookinfo", new Dictionary<string, string> { ["app"] = "client" }, null));
        await Client.WaitReady();
        await Timeouts.Until(async () => (await Send()).Status == 200 && await Endpoints($"outbound|9080||{Host}") == Versions.Count,
            TimeSpan.FromSeconds(30), "the client sidecar sees every reviews endpoint");
    }

    /// <summary>Starts a backend and its sidecar, registered as app=reviews with the given version label.</summary>
    public async Task<(TestBackend Backend, SidecarProcess Sidecar)> AddWorkload(string name, string version)
    {
        var backend = Own(new TestBackend(_dir.Path, name, version));
        await backend.WaitReady();
        var sidecar = Own(new SidecarProcess(_dir.Path, name, Silo.XdsPort, "bookinfo",
            new Dictionary<string, string> { ["app"] = "reviews", ["version"] = version }, backend.Port));
        await sidecar.WaitReady();
        Backends[version] = backend;
        Sidecars[version] = sidecar;
        return (backend, sidecar);
    }

    public static readonly string BaseConfig = Bookinfo.ServiceEntry("http", "HTTP");

    public static string Rule(string trafficPolicy = "") => Bookinfo.DestinationRule(["v1", "v2", "v3", "churn"], trafficPolicy);

    public static string Routes(string http) => Bookinfo.VirtualService(http);

    public async Task Apply(string manifest) => await Silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest });

    /// <summary>Applies, then waits until the client sidecar's config changed and settled. When every document was
    /// unchanged (an earlier test left the same config), there is no change to wait for.</summary>
    public async Task ApplyAndSettle(params string[] manifests)
    {
        var before = await Versions_();
        var changed = false;
        foreach (var manifest in manifests)
        {
            var applied = await Silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest });
            changed |= applied.Results.Any(r => r.Outcome != "unchanged");
        }
        if (changed) await Timeouts.Until(async () => await Versions_() != before, TimeSpan.FromSeconds(15), "the client sidecar takes the change");
        var last = await Versions_();
        while (true)
        {
            await Task.Delay(400);
            var now = await Versions_();
            if (now == last) break;
            last = now;
        }
    }

    private async Task<string> Versions_() => (await Client.Admin("/config_dump"))["versions"]!.ToJsonString();

    public async Task<int> Endpoints(string cluster)
    {
        var clusters = (await Client.Admin("/clusters")).AsArray();
        return clusters.FirstOrDefault(c => c!["name"]!.GetValue<string>() == cluster)?["endpoints"]?.AsArray().Count ?? 0;
    }

    public async Task<JsonNode?> Endpoint(string cluster, int port)
    {
        var clusters = (await Client.Admin("/clusters")).AsArray();
        return clusters.FirstOrDefault(c => c!["name"]!.GetValue<string>() == cluster)?["endpoints"]?.AsArray()
            .FirstOrDefault(e => e!["address"]!.GetValue<string>() == $"127.0.0.1:{port}");
    }

    public sealed record Reply(int Status, string? Backend, string Body, HttpResponseMessage Response, TimeSpan Elapsed);

    /// <summary>One request through the client sidecar, Host-header routed.</summary>
    public async Task<Reply> Send(string path = "/", IReadOnlyDictionary<string, string>? headers = null, Version? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Client.OutboundPort}{path}");
        request.Headers.Host = "reviews:9080";
        if (version is not null)
        {
            request.Version = version;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        var clock = Stopwatch.StartNew();
        var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Reply((int)response.StatusCode, response.Headers.TryGetValues("x-backend", out var b) ? b.First() : null, body, response, clock.Elapsed);
    }

    /// <summary>Sends requests from <paramref name="workers"/> loops until stopped; counts outcomes by backend.</summary>
    public sealed class Load(SidecarMesh mesh, int workers)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _loops = [];
        public int Ok;
        public readonly System.Collections.Concurrent.ConcurrentQueue<string> Failures = new();
        public readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> ByBackend = new();

        public Load Start()
        {
            for (var i = 0; i < workers; i++) _loops.Add(Task.Run(Loop));
            return this;
        }

        private async Task Loop()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var reply = await mesh.Send();
                    if (reply.Status == 200)
                    {
                        Interlocked.Increment(ref Ok);
                        ByBackend.AddOrUpdate(reply.Backend ?? "?", 1, (_, n) => n + 1);
                    }
                    else Failures.Enqueue($"{reply.Status}: {reply.Body}");
                }
                catch (Exception exception)
                {
                    Failures.Enqueue(exception.Message);
                }
            }
        }

        public async Task Stop()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
        }
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Http.Dispose();
        foreach (var item in Enumerable.Reverse(_owned)) item.Dispose();
        Silo.Dispose();
        _dir.Dispose();
    }
}
