using System.Text.Json.Nodes;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.GatewayApi;

[CollectionDefinition(Name)]
public sealed class GatewayApiEdgeCollection : ICollectionFixture<GatewayApiEdge>
{
    public const string Name = "gateway api edge";
}

/// <summary>A mesh with an edge configured through the Kubernetes Gateway API: a control plane, the test backend as the
/// Services <c>web-v1</c>, <c>web-v2</c> and <c>mirror</c> of namespace <c>shop</c> (and <c>grpc-v1</c>, <c>grpc-v2</c>:
/// the same processes on a GRPC port), a TLS credential made with <c>meshctl secret create tls</c>, and one gateway
/// process in namespace <c>edge</c> labelled <c>gateway.networking.k8s.io/gateway-name: edge</c>, serving the Gateway
/// <c>edge/edge</c>: an HTTP listener for any host (routes from all namespaces), an HTTP listener for
/// <c>*.wildcard.io</c>, and an HTTPS listener for <c>secure.example.com</c>. Each test adds its own routes, on hosts
/// of its own.</summary>
public sealed class GatewayApiEdge() : Edge.EdgeFixture("gwapi")
{
    public const string GatewayNamespace = "edge";
    public const string Shop = "shop";

    public OpenSsl Certificates => field ??= new(WorkDir);
    public GatewayProcess Gateway { get; private set; } = null!;
    public TestBackend Mirror { get; private set; } = null!;

    public int Http => Gateway.Ports[0];
    public int Https => Gateway.Ports[1];

    protected override async Task Start()
    {
        var secure = await Certificates.Server("secure", "secure.example.com");
        var created = await Meshctl.Run(Silo.ApiUrl, ["secret", "create", "tls", "secure-cred", "--cert", secure.Cert, "--key", secure.Key, "-n", GatewayNamespace]);
        if (created.ExitCode != 0) throw new InvalidOperationException($"meshctl secret create tls: {created}");

        var v1 = Own(new TestBackend(WorkDir, "web-v1", "v1"));
        var v2 = Own(new TestBackend(WorkDir, "web-v2", "v2"));
        Mirror = Own(new TestBackend(WorkDir, "mirror", "mirror"));
        foreach (var backend in new[] { v1, v2, Mirror }) await backend.WaitReady();
        await Apply(Service("web-v1", v1.Port) + Service("web-v2", v2.Port) + Service("mirror", Mirror.Port)
            + Service("grpc-v1", v1.Port, "GRPC") + Service("grpc-v2", v2.Port, "GRPC"));

        Gateway = Own(new GatewayProcess(WorkDir, "edge", Silo.XdsPort, GatewayNamespace, listen: 2,
            labels: new Dictionary<string, string> { ["gateway.networking.k8s.io/gateway-name"] = "edge" }));
        await ApplyGateway();
        await Apply(Route(GatewayNamespace, "ready", "ready.example.com", "- backendRefs: [{name: web-v1, namespace: shop, port: 8080}]") + Grant);
        await Gateway.WaitReady();
        await UntilAnswers("ready.example.com", "/", r => r.Status == 200, "the gateway routes the Gateway API's HTTPRoute");
    }

    public async Task Delete(string kind, string @namespace, string name) =>
        await Silo.Client.DeleteAsync(new DeleteRequest { Kind = kind, Namespace = @namespace, Name = name });

    /// <summary>(Re)applies the Gateway <c>edge/edge</c>: its three listeners, and <paramref name="listeners"/> after them
    /// (YAML list items, one per line); a test that adds some applies it again without them when done.</summary>
    public async Task ApplyGateway(params string[] listeners) => await Apply(EdgeGateway(Http, Https, listeners));

    /// <summary>An HTTPRoute on the Gateway (any HTTP listener whose hostname admits its host).</summary>
    public static string Route(string @namespace, string name, string hostname, string rules, string parent = "{name: edge, namespace: edge}") => "\n" + $$"""
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{name}}, namespace: {{@namespace}}}
        spec:
          parentRefs: [{{parent}}]
          hostnames: [{{hostname}}]
          rules:
        {{Indent(rules, "  ")}}

        """;

    private static string Indent(string text, string by) => string.Join('\n', text.Trim('\n').Split('\n').Select(l => by + l));

    /// <summary>curl to a host on a gateway port, the name resolved to loopback; HTTPS verifies against the test CA.
    /// <c>-D -</c> among the options puts the response headers before the body.</summary>
    public Task<Curl.Reply> Send(string host, string path, bool https = false, params string[] options)
    {
        var port = https ? Https : Http;
        return Curl.Get($"{(https ? "https" : "http")}://{host}:{port}{path}",
            ["--resolve", $"{host}:{port}:127.0.0.1", .. https ? new[] { "--cacert", Certificates.CaCert } : [], .. options]);
    }

    /// <summary>Sends until the answer is what the test expects (config reaches the gateway within seconds).</summary>
    public async Task<Curl.Reply> UntilAnswers(string host, string path, Func<Curl.Reply, bool> expected, string what, bool https = false, params string[] options)
    {
        Curl.Reply last = new(0, "");
        try
        {
            await Timeouts.Until(async () => expected(last = await Send(host, path, https, options)), TimeSpan.FromSeconds(30), what);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}; the last answer: {last.Status} {last.Body}", timeout);
        }
        return last;
    }

    /// <summary>The backend (<c>web-v1</c>, ...) that answered, from the test backend's echo.</summary>
    public static string? Backend(Curl.Reply reply) => Echo(reply)?["backend"]?.GetValue<string>();

    public static JsonObject? Echo(Curl.Reply reply)
    {
        var start = reply.Body.IndexOf('{');
        try
        {
            return start < 0 ? null : JsonNode.Parse(reply.Body[start..]) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The status of a resource as <c>meshctl get KIND NAME -o json</c> shows it.</summary>
    public async Task<JsonObject?> Status(string kind, string @namespace, string name)
    {
        var result = await Meshctl.Run(Silo.ApiUrl, ["get", kind, name, "-n", @namespace, "-o", "json"]);
        return result.ExitCode == 0 ? JsonNode.Parse(result.Stdout)?["status"] as JsonObject : null;
    }

    private static string Service(string name, int port, string protocol = "HTTP") => $$"""
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: {{name}}, namespace: {{Shop}}}
        spec:
          hosts: [{{name}}.{{Shop}}.svc.cluster.local]
          location: MESH_INTERNAL
          ports: [{number: 8080, name: {{protocol.ToLowerInvariant()}}, protocol: {{protocol}}}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: { {{protocol.ToLowerInvariant()}}: {{port}} } }]

        """;

    /// <summary>Lets the HTTPRoutes of the gateway's namespace send to <c>shop/web-v1</c> (only that Service).</summary>
    private const string Grant = $$"""
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: edge-to-web-v1, namespace: {{Shop}}}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: {{GatewayNamespace}}}]
          to: [{group: "", kind: Service, name: web-v1}]
        """;

    private static string EdgeGateway(int http, int https, IEnumerable<string> listeners) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: mesh}
        spec: {controllerName: mesh.dev/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: {{GatewayNamespace}}}
        spec:
          gatewayClassName: mesh
          listeners:
          - {name: http, port: {{http}}, protocol: HTTP, allowedRoutes: {namespaces: {from: All} } }
          - {name: wild, port: {{http}}, protocol: HTTP, hostname: "*.wildcard.io", allowedRoutes: {namespaces: {from: All} } }
          - name: https
            port: {{https}}
            protocol: HTTPS
            hostname: secure.example.com
            tls: {mode: Terminate, certificateRefs: [{name: secure-cred}]}
            allowedRoutes: {namespaces: {from: All} }
        {{string.Concat(listeners.Select(l => "  " + l + "\n"))}}
        """;
}
