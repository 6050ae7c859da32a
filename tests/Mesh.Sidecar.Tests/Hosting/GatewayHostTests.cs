using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using Mesh.Hosting;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Tests.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Mesh.Sidecar.Tests.Config.Gateway.GatewayResources;

namespace Mesh.Sidecar.Tests.Hosting;

/// <summary>A gateway as it runs (Kestrel on its listen port, config applied as xDS would apply it), with real clients:
/// HTTPS by SNI to an HTTP backend, TLS passthrough by SNI to a TLS backend, a plain-text redirect to https, and a
/// certificate replaced between two connections.</summary>
public sealed class GatewayHostTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly X509Certificate2 _api = Certificate("api.example.com");
    private readonly X509Certificate2 _db = Certificate("db.example.com");
    private readonly int _port = FreePorts.Next();
    private WebApplication _backend = null!;
    private WebApplication _gateway = null!;
    private TcpListener _tlsBackend = null!;
    private ConfigStore _store = null!;

    private string Listener => $"gateway|istio-system|ingress|{_port}";

    public async Task InitializeAsync()
    {
        var backend = WebApplication.CreateSlimBuilder();
        // HTTP/1.1 and h2c, as a sidecar's inbound listener: the gateway keeps the client's protocol upstream.
        backend.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AllowCleartextHttp2();
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttp1AndCleartextHttp2());
        });
        _backend = backend.Build();
        _backend.Run(context => context.Response.WriteAsync($"backend {context.Request.Host} {context.Request.Path}"));
        await _backend.StartAsync();
        var backendPort = new Uri(_backend.Urls.Single()).Port;
        _tlsBackend = new TcpListener(IPAddress.Loopback, 0);
        _tlsBackend.Start();
        _ = ServeTls();

        _gateway = SidecarHost.Build(new SidecarOptions
        {
            Mode = ProxyMode.Gateway,
            ListenPorts = [_port],
            XdsServers = ["127.0.0.1:1"],
            Namespace = "istio-system",
            Workload = "ingress",
            AdminPort = FreePorts.Next(),
            HealthPort = FreePorts.Next(),
            MetricsPort = FreePorts.Next(),
            AccessLog = "off",
        });
        await _gateway.StartAsync();
        _store = _gateway.Services.GetRequiredService<ConfigStore>();
        Assert.Null(await Services.Push(_store, "1", Static("outbound|80||web", backendPort), Static("outbound|443||db", ((IPEndPoint)_tlsBackend.LocalEndpoint).Port)));
        Assert.Null(await Services.Push(_store, "1", CertificateSecret("kubernetes://istio-system/api", _api)));
        Assert.Null(await Services.Push(_store, "1", Parse<RouteConfiguration>($$$"""
            {"name": "{{{Listener}}}", "virtual_hosts": [
              {"name": "api", "domains": ["api.example.com", "api.example.com:{{{_port}}}"], "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "outbound|80||web"} }]},
              {"name": "plain", "domains": ["plain.example.com:{{{_port}}}"], "require_tls": "ALL", "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "outbound|80||web"}}]}]}
            """)));
        var listener = Listener($$"""
            {"filter_chain_match": {"server_names": ["api.example.com"]}, "transport_socket": {{Tls("kubernetes://istio-system/api")}}, "filters": [{{Http(Listener)}}]},
            {"filter_chain_match": {"server_names": ["db.example.com"]}, "filters": [{{Tcp("outbound|443||db")}}]},
            {"filters": [{{Http(Listener)}}]}
            """);
        listener.Name = Listener;
        listener.Address.SocketAddress.PortValue = (uint)_port;
        Assert.Null(await Services.Push(_store, "1", listener));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        _tlsBackend.Stop();
        _api.Dispose();
        _db.Dispose();
    }

    [Fact]
    public async Task HTTPS_by_SNI_is_terminated_with_the_chains_certificate_and_routed_over_HTTP2()
    {
        var (client, presented) = Client();

        using var response = await client.GetAsync($"https://api.example.com:{_port}/hello").WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal($"backend api.example.com:{_port} /hello", await response.Content.ReadAsStringAsync());
        Assert.Equal(_api.Thumbprint, presented());
    }

    [Fact]
    public async Task A_replaced_certificate_serves_the_next_connection_and_the_open_one_keeps_working()
    {
        using var renewed = Certificate("api.example.com");
        var (before, presentedBefore) = Client();
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync($"https://api.example.com:{_port}/")).StatusCode);

        Assert.Null(await Services.Push(_store, "2", CertificateSecret("kubernetes://istio-system/api", renewed)));
        var (after, presentedAfter) = Client();

        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync($"https://api.example.com:{_port}/")).StatusCode);
        Assert.Equal(renewed.Thumbprint, presentedAfter());
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync($"https://api.example.com:{_port}/again")).StatusCode);
        Assert.Equal(_api.Thumbprint, presentedBefore());
    }

    [Fact]
    public async Task Plain_text_to_a_host_that_requires_TLS_is_redirected_to_https()
    {
        var (client, _) = Client();

        using var response = await client.GetAsync($"http://plain.example.com:{_port}/page?x=1").WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://plain.example.com/page?x=1", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task TLS_passthrough_by_SNI_reaches_the_backend_that_terminates_it()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        await using var ssl = new SslStream(tcp.GetStream());

        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "db.example.com", RemoteCertificateValidationCallback = (_, _, _, _) => true }).WaitAsync(Patience);
        await ssl.WriteAsync("ping\n"u8.ToArray());
        var buffer = new byte[64];
        var read = await ssl.ReadAsync(buffer).AsTask().WaitAsync(Patience);

        Assert.Equal(_db.Thumbprint, ssl.RemoteCertificate!.GetCertHashString());
        Assert.Equal("pong ping\n", Encoding.ASCII.GetString(buffer, 0, read));
    }

    /// <summary>A TLS backend: answers each line with <c>pong LINE</c>.</summary>
    private async Task ServeTls()
    {
        while (true)
        {
            TcpClient accepted;
            try
            {
                accepted = await _tlsBackend.AcceptTcpClientAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using var _ = accepted;
                await using var ssl = new SslStream(accepted.GetStream());
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _db });
                var buffer = new byte[64];
                var read = await ssl.ReadAsync(buffer);
                await ssl.WriteAsync(Encoding.ASCII.GetBytes("pong " + Encoding.ASCII.GetString(buffer, 0, read)));
            });
        }
    }

    /// <summary>An HTTP client whose every host resolves to the gateway, and the thumbprint of the certificate the
    /// gateway presented on its (one) connection.</summary>
    private (HttpClient Client, Func<string?> Presented) Client()
    {
        string? thumbprint = null;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, _port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    thumbprint = certificate?.GetCertHashString();
                    return true;
                },
            },
            AllowAutoRedirect = false,
        };
        var client = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        return (client, () => thumbprint);
    }

    private static Cluster Static(string name, int port) => Parse<Cluster>($$$"""
        {"name": "{{{name}}}", "type": "STATIC", "connect_timeout": "1s", "load_assignment": {"cluster_name": "{{{name}}}", "endpoints": [{"lb_endpoints": [
          {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": {{{port}}} } } } }]}]}}
        """);
}
