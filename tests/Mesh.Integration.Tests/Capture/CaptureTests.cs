using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Pods;

namespace Mesh.Integration.Tests.Capture;

/// <summary>Transparent capture for real: two pods as network namespaces (<see cref="BookinfoPods"/> in 10.233.N),
/// each with its sidecar as uid 1337 and <c>mesh-sidecar capture</c>'s iptables rules; an unmodified curl in
/// productpage calls <c>http://reviews:9080</c> (its /etc/hosts maps the name to the service's VIP) and reaches the app
/// in reviews through both sidecars over mTLS, with the control plane in the host namespace. Productpage's sidecar
/// serves its node-link address .2, which also has IPv6 fd00:233:N::2 (so capture installs ip6tables rules there);
/// reviews' serves its pod-network address .34 (no IPv6); the VIPs are .100 and fd00:233:N:ff::100.</summary>
public sealed class CaptureTests : IDisposable
{
    private const string Namespace = "bookinfo";
    private readonly WorkDir _dir = new("capture");
    private readonly List<IDisposable> _owned = [];
    private BookinfoPods _pods = null!;

    private string Net => _pods.Net;
    private string Vip => $"{Net}.100";
    private string ReviewsAddress => _pods.ReviewsIp;
    private string Net6 => $"fd00:233:{Net.Split('.')[2]}";
    private string Vip6 => $"{Net6}:ff::100";

    [NetnsFact]
    public async Task An_unmodified_client_reaches_a_mesh_service_by_name_and_by_vip_over_mtls_and_the_rest_passes_through()
    {
        var silo = Own(new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--xds-secure-address", "0.0.0.0"]));
        silo.Start();
        _pods = Own(new BookinfoPods(block: 233, tag: 'm'));
        var (productpage, reviews) = (_pods.Productpage, _pods.Reviews);
        productpage.Ipv6ToHost($"{Net6}::1/64", $"{Net6}::2/64");
        productpage.Exec("ip", "-6", "route", "add", "default", "via", $"{Net6}::1");
        // The control plane's name, which its certificate carries, and reviews' VIP, as cluster DNS would answer.
        _pods.Hosts("mesh-control-plane", (Vip, $"reviews reviews.{Namespace} reviews.{Namespace}.svc.cluster.local"));
        await silo.WaitReady();

        await silo.Client.ApplyAsync(new ApplyRequest { Manifest = $$$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: reviews
              namespace: {{{Namespace}}}
            spec:
              hosts: [reviews.{{{Namespace}}}.svc.cluster.local]
              addresses: [{{{Vip}}}, {{{Vip6}}}]
              location: MESH_INTERNAL
              ports: [{number: 9080, name: http, protocol: HTTP}]
              resolution: STATIC
              workloadSelector: {labels: {app: reviews}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata:
              name: reviews-1
              namespace: {{{Namespace}}}
            spec:
              address: {{{ReviewsAddress}}}
              labels: {app: reviews, security.istio.io/tlsMode: istio}
              serviceAccount: reviews
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: default
              namespace: {{{Namespace}}}
            spec: {mtls: {mode: STRICT}}
            """ });

        reviews.Start(Path.Combine(_dir.Path, "app-reviews.log"), uid: null,
            ["dotnet", Repository.TestBackendDll, "--port", "9080", "--name", "reviews", "--version", "v1"]);
        productpage.Capture();
        reviews.Capture();
        var root = await RootCertificate(silo);
        await Sidecar(silo, productpage, "productpage", _pods.ProductpageOnNode, root);
        var reviewsSidecar = await Sidecar(silo, reviews, "reviews", ReviewsAddress, root);
        await Ready(productpage, _pods.ProductpageOnNode);
        await Ready(reviews, ReviewsAddress);

        // By name: curl knows nothing of the mesh; its connection to the VIP is captured, the Host header routes it.
        var byName = new Curl.Reply(0, "");
        await Timeouts.Until(() => Task.FromResult((byName = productpage.Curl("http://reviews:9080/by-name")).Status == 200),
            TimeSpan.FromSeconds(20), "reviews reached by name");
        var forwarded = Echo(byName)["x-forwarded-client-cert"]?.GetValue<string>() ?? "";
        Assert.Contains($"URI=spiffe://cluster.local/ns/{Namespace}/sa/productpage", forwarded);
        Assert.Contains($"By=spiffe://cluster.local/ns/{Namespace}/sa/reviews", forwarded);

        // By VIP, with no name at all, and with a Host the mesh does not know: the original destination routes it.
        Assert.Contains("sa/productpage", Echo(Expect200(productpage, $"http://{Vip}:9080/by-vip"))["x-forwarded-client-cert"]!.GetValue<string>());
        Assert.Contains("sa/productpage", Echo(Expect200(productpage, $"http://{Vip}:9080/by-vip", "-H", "Host: elsewhere.example.com"))["x-forwarded-client-cert"]!.GetValue<string>());

        // A pod IP with a Host the mesh does not know: the endpoint's service routes it (over mTLS, which STRICT
        // demands), where a pass-through would have sent plain text.
        Assert.Contains("sa/productpage", Echo(Expect200(productpage, $"http://{ReviewsAddress}:9080/by-pod-ip", "-H", "Host: elsewhere.example.com"))["x-forwarded-client-cert"]!.GetValue<string>());

        // IPv6: capture found the pod's IPv6 address and installed the ip6tables rules (reviews has none, so none);
        // a captured IPv6 connection reaches the sidecar on [::1] and its original destination, the IPv6 VIP, routes it.
        Assert.Contains("-j MESH_REDIRECT", productpage.Exec("ip6tables", "-t", "nat", "-S", "MESH_OUTPUT").Output);
        Assert.NotEqual(0, reviews.TryExec("ip6tables", "-t", "nat", "-S", "MESH_OUTPUT").Code);
        Assert.Contains("sa/productpage", Echo(Expect200(productpage, $"http://[{Vip6}]:9080/by-vip6", "-g"))["x-forwarded-client-cert"]!.GetValue<string>());
        Assert.Contains("sa/productpage", Echo(Expect200(productpage, $"http://[{Vip6}]:9080/by-vip6", "-g", "-H", "Host: elsewhere.example.com"))["x-forwarded-client-cert"]!.GetValue<string>());

        // STRICT: a plain-text caller is refused by reviews' sidecar (uid 1337 in productpage: not captured there, so
        // this is a client without a sidecar; reviews' capture still sends it to the inbound listener).
        var plain = productpage.TryExecAs(Pod.ProxyUid, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", $"http://{ReviewsAddress}:9080/");
        Assert.Equal("000", plain.Output.Trim());
        await Timeouts.Until(() => Task.FromResult(File.ReadAllText(reviewsSidecar.LogPath).Contains("Refused a plain text connection")),
            TimeSpan.FromSeconds(5), "reviews' sidecar logs the refusal");

        // ALLOW_ANY: an address the mesh does not know passes through, HTTP and plain TCP alike.
        using var outside = new OutsideServer(IPAddress.Parse(_pods.ProductpageNode));
        var passed = Expect200(productpage, $"http://{_pods.ProductpageNode}:{outside.HttpPort}/outside");
        Assert.Equal("outside", passed.Body);
        var tcp = productpage.Exec("bash", "-c", $"exec 3<>/dev/tcp/{_pods.ProductpageNode}/{outside.TcpPort}; printf 'ping\\n' >&3; head -c 10 <&3");
        Assert.Equal("echo: ping", tcp.Output);

        // The same over IPv6: the original destination is read from an IPv6 socket (IP6T_SO_ORIGINAL_DST).
        using var outside6 = new OutsideServer(IPAddress.Parse($"{Net6}::1"));
        Assert.Equal("outside", Expect200(productpage, $"http://[{Net6}::1]:{outside6.HttpPort}/outside", "-g").Body);
        Assert.Equal("echo: ping", productpage.Exec("bash", "-c", $"exec 3<>/dev/tcp/{Net6}::1/{outside6.TcpPort}; printf 'ping\\n' >&3; head -c 10 <&3").Output);
        var sidecarLog = File.ReadAllText(Path.Combine(_dir.Path, "sidecar-productpage.log"));
        Assert.Contains($"{Net6}::1", sidecarLog);

        // No loop: the sidecar's own connections left through the owner rule, counted by iptables.
        var rules = productpage.Exec("iptables", "-t", "nat", "-L", "MESH_OUTPUT", "-n", "-v", "-x").Output;
        var owner = rules.Split('\n').Single(l => l.Contains("RETURN") && l.Contains($"owner UID match {Pod.ProxyUid}") && !l.Contains("lo "));
        Assert.True(long.Parse(owner.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]) > 0, $"the owner rule counted nothing:\n{rules}");
    }

    private async Task<string> RootCertificate(SiloProcess silo)
    {
        using var api = Grpc.Net.Client.GrpcChannel.ForAddress(silo.ApiUrl);
        var ca = await new SecurityService.SecurityServiceClient(api).GetCaAsync(new GetCaRequest());
        var file = Path.Combine(_dir.Path, "root.pem");
        await File.WriteAllTextAsync(file, string.Concat(ca.Roots.Select(r => r.Pem)));
        return file;
    }

    /// <summary>The pod's sidecar as uid 1337 on Istio's ports, with a bootstrap token for its service account.</summary>
    private async Task<ChildProcess> Sidecar(SiloProcess silo, Pod pod, string workload, string address, string rootFile)
    {
        using var api = Grpc.Net.Client.GrpcChannel.ForAddress(silo.ApiUrl);
        var token = await new SecurityService.SecurityServiceClient(api).CreateTokenAsync(
            new CreateTokenRequest { Namespace = Namespace, ServiceAccount = workload, TtlSeconds = 600 });
        var tokenFile = Path.Combine(_dir.Path, $"{workload}.token");
        await File.WriteAllTextAsync(tokenFile, token.Token);
        var sidecar = Repository.Sidecar;
        return pod.Start(Path.Combine(_dir.Path, $"sidecar-{workload}.log"), Pod.ProxyUid,
        [
            sidecar.FileName, .. sidecar.Arguments, "--xds", $"mesh-control-plane:{silo.SecureXdsPort}", "--namespace", Namespace,
            "--workload", workload, "--labels", $"app={workload}", "--service-account", workload, "--token-file", tokenFile,
            "--root-cert", rootFile, "--address", address, "--drain-timeout", "1s",
        ]);
    }

    private static Task Ready(Pod pod, string address) => Timeouts.Until(
        () => Task.FromResult(pod.TryExec("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", $"http://{address}:15021/healthz/ready").Output == "200"),
        TimeSpan.FromSeconds(60), $"the sidecar in {pod.Name} ready");

    private static Curl.Reply Expect200(Pod pod, string url, params string[] options)
    {
        var reply = pod.Curl(url, options);
        Assert.True(reply.Status == 200, $"{url}: {reply.Status} {reply.Body}");
        return reply;
    }

    private static JsonObject Echo(Curl.Reply reply) => JsonNode.Parse(reply.Body)!["headers"]!.AsObject();

    private T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _dir.Dispose();
    }

    /// <summary>Something outside the mesh, in the host namespace: an HTTP server that answers "outside", and a TCP
    /// server that answers a line with "echo: " and the line.</summary>
    private sealed class OutsideServer : IDisposable
    {
        private readonly TcpListener _http;
        private readonly TcpListener _tcp;

        public OutsideServer(IPAddress address)
        {
            _http = new TcpListener(address, 0);
            _tcp = new TcpListener(address, 0);
            _http.Start();
            _tcp.Start();
            _ = Serve(_http, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\noutside");
            _ = Serve(_tcp, null);
        }

        public int HttpPort => ((IPEndPoint)_http.LocalEndpoint).Port;
        public int TcpPort => ((IPEndPoint)_tcp.LocalEndpoint).Port;

        private static async Task Serve(TcpListener listener, string? answer)
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII);
                    var line = await reader.ReadLineAsync() ?? "";
                    if (answer is not null) while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(answer ?? $"echo: {line}"));
                    client.Client.Shutdown(SocketShutdown.Send);
                }
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException or IOException)
            {
            }
        }

        public void Dispose()
        {
            _http.Stop();
            _tcp.Stop();
        }
    }
}
