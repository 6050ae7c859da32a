using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Edge;

[CollectionDefinition(Name)]
public sealed class IstioEdgeCollection : ICollectionFixture<IstioEdge>
{
    public const string Name = "istio edge";
}

/// <summary>A mesh with an edge, configured as an Istio user configures one: a control plane, the test backend as
/// <c>web.shop</c> in two versions, an openssl <c>s_server</c> as <c>tls.shop</c> (a TLS service the gateway must not
/// terminate), TLS credentials created with <c>meshctl secret create tls</c>, and one gateway (<c>mesh-sidecar --mode
/// gateway</c>, labelled <c>istio=ingressgateway</c>) serving an Istio Gateway bound by VirtualServices. The gateway
/// listens on five ports: plain HTTP, HTTPS for two hosts chosen by SNI, MUTUAL, OPTIONAL_MUTUAL and PASSTHROUGH.</summary>
public sealed class IstioEdge() : EdgeFixture("edge")
{
    public const string GatewayNamespace = "istio-system";

    public OpenSsl Certificates => field ??= new(WorkDir);
    public GatewayProcess Gateway { get; private set; } = null!;

    public int Http => Gateway.Ports[0];
    public int Https => Gateway.Ports[1];
    public int Mutual => Gateway.Ports[2];
    public int OptionalMutual => Gateway.Ports[3];
    public int Passthrough => Gateway.Ports[4];

    /// <summary>The certificate of each credential the gateway serves, by host.</summary>
    public Dictionary<string, (string Cert, string Key)> Served { get; } = [];
    public (string Cert, string Key) ClientCertificate { get; private set; }
    public (string Cert, string Key) TlsBackendCertificate { get; private set; }

    protected override async Task Start()
    {
        foreach (var host in new[] { "a", "b", "c", "d", "r" })
        {
            Served[$"{host}.example.com"] = await Certificates.Server(host, $"{host}.example.com");
        }
        ClientCertificate = await Certificates.Client("edge-client");
        TlsBackendCertificate = await Certificates.Server("p", "p.example.com");
        await Secret("a-cred", Served["a.example.com"]);
        await Secret("b-cred", Served["b.example.com"]);
        await Secret("r-cred", Served["r.example.com"]);
        await Secret("c-cred", Served["c.example.com"], Certificates.CaCert);
        await Secret("d-cred", Served["d.example.com"], Certificates.CaCert);

        var v1 = Own(new TestBackend(WorkDir, "web-v1", "v1"));
        var v2 = Own(new TestBackend(WorkDir, "web-v2", "v2"));
        await v1.WaitReady();
        await v2.WaitReady();
        var tlsPort = FreePorts.Next();
        Own(new ChildProcess("openssl", ["s_server", "-accept", tlsPort.ToString(), "-cert", TlsBackendCertificate.Cert, "-key", TlsBackendCertificate.Key, "-www", "-quiet"],
            Path.Combine(WorkDir, "s_server.log")));
        await Apply(Services(v1.Port, v2.Port, tlsPort));

        Gateway = Own(new GatewayProcess(WorkDir, "ingress", Silo.XdsPort, GatewayNamespace, listen: 5));
        await Apply(EdgeGateway(Http, Https, Mutual, OptionalMutual, Passthrough));
        await Apply(Routes(Passthrough));
        await Apply(EdgeAuthentication);
        await Gateway.WaitReady();
        await Timeouts.Until(async () => (await Send("plain.example.com", Http, "/")).Status == 200, TimeSpan.FromSeconds(30), "the gateway routes plain HTTP");
    }

    /// <summary><c>meshctl secret create tls</c>, as a user runs it; replaces a credential that exists.</summary>
    public async Task Secret(string name, (string Cert, string Key) pair, string? ca = null)
    {
        string[] caOption = ca is null ? [] : ["--ca", ca];
        var result = await Meshctl.Run(Silo.ApiUrl, ["secret", "create", "tls", name, "--cert", pair.Cert, "--key", pair.Key, .. caOption, "-n", GatewayNamespace]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"meshctl secret create tls {name}: {result}");
    }

    /// <summary>curl to <paramref name="host"/> on a gateway port, the name resolved to loopback as DNS would send it to
    /// the load balancer; HTTPS verifies the gateway's certificate against the test CA.</summary>
    public Task<Curl.Reply> Send(string host, int port, string path, bool https = false, params string[] options) =>
        Curl.Get($"{(https ? "https" : "http")}://{host}:{port}{path}",
            ["--resolve", $"{host}:{port}:127.0.0.1", .. https ? new[] { "--cacert", Certificates.CaCert } : [], .. options]);

    private static string Services(int v1, int v2, int tls) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: web, namespace: shop}
        spec:
          hosts: [web.shop.svc.cluster.local]
          location: MESH_INTERNAL
          ports: [{number: 9080, name: http, protocol: HTTP}]
          resolution: STATIC
          workloadSelector: {labels: {app: web}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: web-v1, namespace: shop}
        spec: {address: 127.0.0.1, ports: {http: {{{v1}}}}, labels: {app: web, version: v1}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: web-v2, namespace: shop}
        spec: {address: 127.0.0.1, ports: {http: {{{v2}}}}, labels: {app: web, version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: web, namespace: shop}
        spec:
          host: web.shop.svc.cluster.local
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: tls, namespace: shop}
        spec:
          hosts: [tls.shop.svc.cluster.local]
          location: MESH_INTERNAL
          ports: [{number: 8443, name: tls, protocol: TLS}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: {tls: {{{tls}}}}}]
        """;

    private static string EdgeGateway(int http, int https, int mutual, int optional, int passthrough) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: {{{GatewayNamespace}}}}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: {{{http}}}, name: http-redirect, protocol: HTTP}
            hosts: [shop/a.example.com]
            tls: {httpsRedirect: true}
          - port: {number: {{{http}}}, name: http, protocol: HTTP}
            hosts: [shop/plain.example.com, shop/cors.example.com]
          - port: {number: {{{https}}}, name: https-a, protocol: HTTPS}
            hosts: [shop/a.example.com]
            tls: {mode: SIMPLE, credentialName: a-cred}
          - port: {number: {{{https}}}, name: https-b, protocol: HTTPS}
            hosts: [shop/b.example.com]
            tls: {mode: SIMPLE, credentialName: b-cred, minProtocolVersion: TLSV1_3}
          - port: {number: {{{https}}}, name: https-rotated, protocol: HTTPS}
            hosts: [shop/r.example.com]
            tls: {mode: SIMPLE, credentialName: r-cred}
          - port: {number: {{{mutual}}}, name: https-mutual, protocol: HTTPS}
            hosts: [shop/c.example.com]
            tls: {mode: MUTUAL, credentialName: c-cred}
          - port: {number: {{{optional}}}, name: https-optional, protocol: HTTPS}
            hosts: [shop/d.example.com]
            tls: {mode: OPTIONAL_MUTUAL, credentialName: d-cred}
          - port: {number: {{{passthrough}}}, name: tls-passthrough, protocol: TLS}
            hosts: [shop/p.example.com]
            tls: {mode: PASSTHROUGH}
        """;

    /// <summary>Istio's "require a JWT on /api/*" at the ingress gateway: a RequestAuthentication for the test issuer
    /// and a DENY for requests to /api/* without a request principal, both selecting the gateway workload.</summary>
    private static string EdgeAuthentication => $$$"""
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: edge-jwt, namespace: {{{GatewayNamespace}}}}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          jwtRules: [{issuer: "{{{JwtIssuer.Issuer}}}", audiences: [{{{JwtIssuer.Audience}}}], jwks: '{{{JwtIssuer.Jwks()}}}'}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: api-needs-jwt, namespace: {{{GatewayNamespace}}}}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: DENY
          rules: [{from: [{source: {notRequestPrincipals: ["*"]}}], to: [{operation: {paths: ["/api/*"]}}]}]
        """;

    private static string Routes(int passthrough) => $$$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web-edge, namespace: shop}
        spec:
          hosts: [a.example.com, b.example.com, c.example.com, d.example.com, r.example.com, plain.example.com]
          gateways: [{{{{GatewayNamespace}}}}/edge]
          http:
          - match: [{headers: {x-canary: {exact: "yes"}}}]
            route: [{destination: {host: web.shop.svc.cluster.local, subset: v2, port: {number: 9080}}}]
          - route: [{destination: {host: web.shop.svc.cluster.local, subset: v1, port: {number: 9080}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: cors-edge, namespace: shop}
        spec:
          hosts: [cors.example.com]
          gateways: [{{{{GatewayNamespace}}}}/edge]
          http:
          - corsPolicy:
              allowOrigins: [{exact: "https://app.example.com"}]
              allowMethods: [GET, POST]
              allowHeaders: [x-token]
              exposeHeaders: [x-trace]
              maxAge: 600s
              allowCredentials: true
            route: [{destination: {host: web.shop.svc.cluster.local, subset: v1, port: {number: 9080}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: tls-edge, namespace: shop}
        spec:
          hosts: [p.example.com]
          gateways: [{{{{GatewayNamespace}}}}/edge]
          tls:
          - match: [{port: {{{{passthrough}}}}, sniHosts: [p.example.com]}]
            route: [{destination: {host: tls.shop.svc.cluster.local, port: {number: 8443}}}]
        """;
}
