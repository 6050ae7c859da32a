using System.Text.Json.Nodes;
using Grpc.Net.Client;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Security;

/// <summary>A control plane with its CA, and sidecars that got their identities from it over the secured port:
/// <c>web</c> (app=web, sa web, namespace shop) in front of a test backend, and two clients, <c>frontend</c>
/// (sa frontend, shop) and <c>intruder</c> (sa intruder, namespace other). Tests also call web's inbound port
/// directly, as a workload without a sidecar would.</summary>
public class SecureMesh : IAsyncLifetime, IDisposable
{
    public const string Host = "web.shop.svc.cluster.local";
    private readonly WorkDir _dir = new("secure");
    private readonly List<IDisposable> _owned = [];
    private GrpcChannel? _api;

    public SecureMesh() : this([])
    {
    }

    protected SecureMesh(IEnumerable<string> siloArguments) => Silo = new SiloProcess(_dir.Path, "silo",
        ["--data", Path.Combine(_dir.Path, "data"), "--registration-lease", "00:00:05", .. siloArguments],
        new Dictionary<string, string> { ["Logging__LogLevel__Mesh"] = "Debug" });

    public SiloProcess Silo { get; }
    public string WorkDir => _dir.Path;
    public string RootPem { get; private set; } = "";
    public string RootFile => Path.Combine(_dir.Path, "root.pem");
    /// <summary>Where web's sidecar serves SDS to local consumers.</summary>
    public string SdsSocket => Path.Combine(_dir.Path, "web-sds.sock");
    public TestBackend Backend { get; private set; } = null!;
    public SidecarProcess Web { get; private set; } = null!;
    public SidecarProcess Frontend { get; private set; } = null!;
    public SidecarProcess Intruder { get; private set; } = null!;
    public WorkloadCa Ca => new(Silo.SecureXdsPort, RootPem);
    public SecurityService.SecurityServiceClient Security => new(_api ??= GrpcChannel.ForAddress(Silo.ApiUrl));
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>How long workload certificates live here: renewal happens every 10 s.</summary>
    public virtual string CertificateLifetime => "20s";

    public async Task InitializeAsync()
    {
        Silo.Start();
        await Silo.WaitReady();
        var ca = await Security.GetCaAsync(new GetCaRequest());
        RootPem = string.Concat(ca.Roots.Select(r => r.Pem));
        await File.WriteAllTextAsync(RootFile, RootPem);
        await Silo.Client.ApplyAsync(new ApplyRequest { Manifest = $$$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web, namespace: shop}
            spec:
              hosts: [{{{Host}}}]
              location: MESH_INTERNAL
              ports: [{number: 9080, name: http, protocol: HTTP}]
              resolution: STATIC
              workloadSelector: {labels: {app: web}}
            """ });
        Backend = Own(new TestBackend(_dir.Path, "web", "v1"));
        await Backend.WaitReady();
        Web = Own(await Sidecar("web", "shop", "web", Backend.Port, extra: ["--sds-socket", SdsSocket]));
        Frontend = Own(await Sidecar("frontend", "shop", "frontend", null));
        Intruder = Own(await Sidecar("intruder", "other", "intruder", null));
        await Task.WhenAll(Web.WaitReady(), Frontend.WaitReady(), Intruder.WaitReady());
        await Timeouts.Until(async () => (await Send(Frontend)).Status == 200 && (await Send(Intruder)).Status == 200,
            TimeSpan.FromSeconds(30), "both clients reach web over mTLS");
    }

    /// <summary>A sidecar that gets its identity with a bootstrap token for <paramref name="serviceAccount"/>.</summary>
    public async Task<SidecarProcess> Sidecar(string workload, string @namespace, string serviceAccount, int? appPort,
        string? tokenServiceAccount = null, IEnumerable<string>? extra = null)
    {
        var token = await Token(@namespace, tokenServiceAccount ?? serviceAccount);
        var tokenFile = Path.Combine(_dir.Path, $"{workload}.token");
        await File.WriteAllTextAsync(tokenFile, token);
        return new SidecarProcess(_dir.Path, workload, Silo.SecureXdsPort, @namespace, new Dictionary<string, string> { ["app"] = workload }, appPort,
            ["--service-account", serviceAccount, "--token-file", tokenFile, "--root-cert", RootFile, "--cert-ttl", CertificateLifetime, .. extra ?? []]);
    }

    public async Task<string> Token(string @namespace, string serviceAccount, long ttlSeconds = 600)
        => (await Security.CreateTokenAsync(new CreateTokenRequest { Namespace = @namespace, ServiceAccount = serviceAccount, TtlSeconds = ttlSeconds })).Token;

    public async Task Apply(string manifest) => await Silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest });

    public async Task Delete(string kind, string @namespace, string name)
        => await Silo.Client.DeleteAsync(new DeleteRequest { Kind = kind, Namespace = @namespace, Name = name });

    public sealed record Reply(int Status, string Body);

    /// <summary>One request from a client sidecar to web, as its application would send it.</summary>
    public async Task<Reply> Send(SidecarProcess from, string path = "/", string method = "GET", IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{from.OutboundPort}{path}");
        request.Headers.Host = $"{Host}:9080";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await Http.SendAsync(request);
            return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException exception)
        {
            return new Reply(0, exception.Message);
        }
    }

    /// <summary>A request straight to web's inbound port in plain text, as a workload without a sidecar would send it;
    /// status 0 when the connection was refused or reset.</summary>
    public async Task<Reply> SendPlaintext(string path = "/")
    {
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
            using var response = await client.GetAsync($"http://127.0.0.1:{Web.InboundPort}{path}");
            return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException exception)
        {
            return new Reply(0, exception.Message);
        }
    }

    /// <summary>The backend's view of the last request: the headers it received.</summary>
    public static JsonObject Echo(Reply reply) => JsonNode.Parse(reply.Body)!["headers"]!.AsObject();

    public T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        Silo.Dispose();
        Http.Dispose();
        _api?.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
