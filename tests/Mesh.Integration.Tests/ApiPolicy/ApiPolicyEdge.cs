using System.Security.Cryptography;
using System.Text;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.ApiPolicy;

[CollectionDefinition(Name)]
public sealed class ApiPolicyEdgeCollection : ICollectionFixture<ApiPolicyEdge>
{
    public const string Name = "api policy edge";
}

/// <summary>A control plane, the test backend as <c>web.shop</c>, and two replicas of an ingress gateway (two
/// <c>mesh-sidecar --mode gateway</c> processes labelled <c>istio=ingressgateway</c>, each with its own port and JSON
/// access log) serving one Istio Gateway and VirtualServices, with one ApiPolicy per feature, narrowed by host
/// (<c>analytics.example.com</c>, a named and an unnamed route behind API keys, is the per-API analytics' own).</summary>
public sealed class ApiPolicyEdge() : Edge.EdgeFixture("apipolicy")
{
    public const string ApiKey = "acme-secret-key";
    public const int ClusterLimit = 20;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public GatewayProcess[] Gateways { get; private set; } = [];

    public string AccessLog(int replica) => Path.Combine(WorkDir, $"access-{replica}.log");

    protected override async Task Start()
    {
        var backend = Own(new TestBackend(WorkDir, "web", "v1"));
        await backend.WaitReady();
        Gateways = [.. Enumerable.Range(0, 2).Select(i =>
            Own(new GatewayProcess(WorkDir, $"ingress-{i}", Silo.XdsPort, "istio-system", listen: 1, extra: ["--access-log", AccessLog(i)])))];
        await Apply(Config(backend.Port, Gateways[0].Ports[0], Gateways[1].Ports[0]));
        foreach (var gateway in Gateways) await gateway.WaitReady();
        foreach (var gateway in Gateways)
        {
            await Timeouts.Until(async () => (await Send(gateway, "open.example.com", "/")).StatusCode == System.Net.HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), $"{gateway.Workload} routes open.example.com");
        }
    }

    /// <summary>A request to <paramref name="host"/> through a gateway replica, as a client behind a load balancer sends it.</summary>
    public static async Task<HttpResponseMessage> Send(GatewayProcess gateway, string host, string path, Action<HttpRequestMessage>? edit = null, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, $"http://127.0.0.1:{gateway.Ports[0]}{path}") { Content = body };
        request.Headers.Host = host;
        edit?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Config(int backend, int port0, int port1) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: web, namespace: shop}
        spec:
          hosts: [web.shop.svc.cluster.local]
          location: MESH_INTERNAL
          ports: [{number: 9080, name: http, protocol: HTTP}]
          resolution: STATIC
          endpoints:
          - address: 127.0.0.1
            ports: {http: {{{backend}}}}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: {{{port0}}}, name: http-0, protocol: HTTP}
            hosts: ["shop/*"]
          - port: {number: {{{port1}}}, name: http-1, protocol: HTTP}
            hosts: ["shop/*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: api, namespace: shop}
        spec:
          hosts: [open.example.com, limited.example.com, keyed.example.com, guarded.example.com, small.example.com, cluster.example.com]
          gateways: [istio-system/edge]
          http:
          - route:
            - destination: {host: web.shop.svc.cluster.local, port: {number: 9080}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: analytics, namespace: shop}
        spec:
          hosts: [analytics.example.com]
          gateways: [istio-system/edge]
          http:
          - name: echo
            match: [{uri: {exact: /echo}}]
            route:
            - destination: {host: web.shop.svc.cluster.local, port: {number: 9080}}
          - route:
            - destination: {host: web.shop.svc.cluster.local, port: {number: 9080}}
        ---
        apiVersion: policy.mesh.dev/v1
        kind: ApiPolicy
        metadata: {name: burst, namespace: istio-system}
        spec:
          targetRefs: [{kind: Gateway, name: edge}]
          hosts: [limited.example.com]
          rateLimits: [{name: burst, maxTokens: 3, tokensPerFill: 3, fillInterval: 3s}]
        ---
        apiVersion: policy.mesh.dev/v1
        kind: ApiPolicy
        metadata: {name: keys, namespace: istio-system}
        spec:
          targetRefs: [{kind: Gateway, name: edge}]
          hosts: [keyed.example.com, analytics.example.com]
          apiKeys:
            in: header
            name: x-api-key
            consumers: [{name: acme, keyHashes: ["{{{Sha256(ApiKey)}}}"]}]
        ---
        apiVersion: policy.mesh.dev/v1
        kind: ApiPolicy
        metadata: {name: ip-deny, namespace: istio-system}
        spec:
          targetRefs: [{kind: Gateway, name: edge}]
          hosts: [guarded.example.com]
          ipDeny: [203.0.113.0/24]
          trustedHops: 1
        ---
        apiVersion: policy.mesh.dev/v1
        kind: ApiPolicy
        metadata: {name: small-bodies, namespace: istio-system}
        spec:
          targetRefs: [{kind: Gateway, name: edge}]
          hosts: [small.example.com]
          maxRequestBodyBytes: 64
        ---
        apiVersion: policy.mesh.dev/v1
        kind: ApiPolicy
        metadata: {name: cluster-wide, namespace: istio-system}
        spec:
          targetRefs: [{kind: Gateway, name: edge}]
          hosts: [cluster.example.com]
          rateLimits: [{name: tenants, key: {type: Header, name: x-tenant}, maxTokens: {{{ClusterLimit}}}, tokensPerFill: {{{ClusterLimit}}}, fillInterval: 1h, scope: Cluster, failureMode: Closed}]
        """;
}
