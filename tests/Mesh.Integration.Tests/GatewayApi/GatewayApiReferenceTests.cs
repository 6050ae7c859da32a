using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.GatewayApi.GatewayApiEdge;

namespace Mesh.Integration.Tests.GatewayApi;

/// <summary>HTTPS listeners, references across namespaces and their status, and GRPCRoute: each test named after the
/// upstream conformance test it stands for.</summary>
[Collection(GatewayApiEdgeCollection.Name)]
public sealed class GatewayApiReferenceTests(GatewayApiEdge edge)
{
    [Fact]
    public async Task HTTPRouteHTTPSListener()
    {
        await edge.Apply(Route(Shop, "secure", "secure.example.com", """
            - backendRefs: [{name: web-v2, port: 8080}]
            """, parent: "{name: edge, namespace: edge, sectionName: https}"));

        var reply = await edge.UntilAnswers("secure.example.com", "/", r => Backend(r) == "web-v2", "HTTPS to web-v2", https: true);
        Assert.Equal(200, reply.Status);
        // Only the HTTPS listener took the route: plain HTTP does not serve the host.
        Assert.Equal(404, (await edge.Send("secure.example.com", "/")).Status);
    }

    [Fact]
    public async Task HTTPRouteReferenceGrant()
    {
        // The fixture's ReferenceGrant in shop lets the HTTPRoutes of edge send to shop/web-v1.
        await edge.Apply(Route(GatewayNamespace, "granted", "granted.example.com", """
            - backendRefs: [{name: web-v1, namespace: shop, port: 8080}]
            """));

        await edge.UntilAnswers("granted.example.com", "/", r => Backend(r) == "web-v1", "the granted cross-namespace backend");
        var resolved = await UntilCondition("httproute", GatewayNamespace, "granted", "ResolvedRefs", c => c["status"]?.GetValue<string>() == "True");
        Assert.Equal("ResolvedRefs", resolved["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task HTTPRouteInvalidCrossNamespaceBackendRef()
    {
        // No grant covers shop/web-v2: the reference is refused, reported, and the rule answers 500.
        await edge.Apply(Route(GatewayNamespace, "not-granted", "not-granted.example.com", """
            - backendRefs: [{name: web-v2, namespace: shop, port: 8080}]
            """));

        var refused = await UntilCondition("httproute", GatewayNamespace, "not-granted", "ResolvedRefs", c => c["status"]?.GetValue<string>() == "False");
        Assert.Equal("RefNotPermitted", refused["reason"]!.GetValue<string>());
        var accepted = await UntilCondition("httproute", GatewayNamespace, "not-granted", "Accepted", _ => true);
        Assert.Equal("True", accepted["status"]!.GetValue<string>());
        await edge.UntilAnswers("not-granted.example.com", "/", r => r.Status == 500, "the refused backend answering 500");
    }

    [Fact]
    public async Task GatewayInvalidTLSConfiguration()
    {
        await edge.Apply($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: bad-tls, namespace: {{GatewayNamespace}}}
            spec:
              gatewayClassName: mesh
              listeners:
              - name: missing-secret
                port: 9443
                protocol: HTTPS
                tls: {certificateRefs: [{name: no-such-secret}]}
              - name: not-a-secret
                port: 9444
                protocol: HTTPS
                tls: {certificateRefs: [{kind: ConfigMap, name: secure-cred}] }
            """);

        JsonObject? status = null;
        await Timeouts.Until(async () => (status = await edge.Status("gtw", GatewayNamespace, "bad-tls"))?["listeners"] is JsonArray { Count: 2 },
            TimeSpan.FromSeconds(20), "the Gateway's listener status");
        foreach (var listener in status!["listeners"]!.AsArray())
        {
            var resolved = Condition(listener!["conditions"], "ResolvedRefs");
            Assert.Equal("False", resolved["status"]!.GetValue<string>());
            Assert.Equal("InvalidCertificateRef", resolved["reason"]!.GetValue<string>());
            Assert.Equal("False", Condition(listener["conditions"], "Programmed")["status"]!.GetValue<string>());
        }
        Assert.Equal("False", Condition(status["conditions"], "Programmed")["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task GRPCExactMethodMatching()
    {
        await edge.Apply($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: grpc-exact, namespace: {{Shop}}}
            spec:
              parentRefs: [{name: edge, namespace: edge, sectionName: http}]
              hostnames: [grpc.example.com]
              rules:
              - matches: [{method: {service: mesh.test.Echo, method: Call} }]
                backendRefs: [{name: grpc-v1, port: 8080}]
              - matches: [{method: {service: mesh.test.Echo, method: Stream} }]
                backendRefs: [{name: grpc-v2, port: 8080}]
            """);

        using var channel = Channel("grpc.example.com");
        var echo = new Mesh.Test.Echo.EchoClient(channel);
        string? backend = null;
        await Timeouts.Until(async () =>
        {
            try
            {
                backend = (await echo.CallAsync(new Mesh.Test.EchoRequest { Payload = "hi" }, deadline: DateTime.UtcNow.AddSeconds(5))).Backend;
            }
            catch (RpcException)
            {
                backend = null;
            }
            return backend == "web-v1";
        }, TimeSpan.FromSeconds(30), "Call routed to grpc-v1");

        using var stream = echo.Stream(new Mesh.Test.EchoRequest { Payload = "s" });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("web-v2", stream.ResponseStream.Current.Backend);
        using var chat = echo.Chat();
        await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await chat.RequestStream.WriteAsync(new Mesh.Test.EchoRequest { Payload = "nobody routes Chat" });
            await chat.ResponseStream.MoveNext(CancellationToken.None);
        });
    }

    [Fact]
    public async Task GRPCRouteHeaderMatching()
    {
        await edge.Apply($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: grpc-headers, namespace: {{Shop}}}
            spec:
              parentRefs: [{name: edge, namespace: edge, sectionName: http}]
              hostnames: [grpc-headers.example.com]
              rules:
              - matches: [{headers: [{name: version, value: one}]}]
                backendRefs: [{name: grpc-v1, port: 8080}]
              - matches: [{headers: [{name: version, value: two}]}]
                backendRefs: [{name: grpc-v2, port: 8080}]
            """);

        using var channel = Channel("grpc-headers.example.com");
        var echo = new Mesh.Test.Echo.EchoClient(channel);
        async Task<string?> Call(string version)
        {
            try
            {
                return (await echo.CallAsync(new Mesh.Test.EchoRequest { Payload = "hi" }, new Metadata { { "version", version } }, DateTime.UtcNow.AddSeconds(5))).Backend;
            }
            catch (RpcException)
            {
                return null;
            }
        }
        await Timeouts.Until(async () => await Call("two") == "web-v2", TimeSpan.FromSeconds(30), "version: two routed to grpc-v2");
        Assert.Equal("web-v1", await Call("one"));
        Assert.Null(await Call("three"));
    }

    private async Task<JsonObject> UntilCondition(string kind, string @namespace, string name, string type, Func<JsonObject, bool> expected)
    {
        JsonObject? found = null;
        await Timeouts.Until(async () =>
        {
            var parents = (await edge.Status(kind, @namespace, name))?["parents"] as JsonArray;
            found = parents is [JsonObject parent, ..] ? Condition(parent["conditions"], type) : null;
            return found is not null && expected(found);
        }, TimeSpan.FromSeconds(20), $"{kind} {@namespace}/{name} condition {type}");
        return found!;
    }

    private static JsonObject Condition(JsonNode? conditions, string type)
        => conditions!.AsArray().OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);

    /// <summary>A gRPC channel to the gateway's HTTP port for <paramref name="host"/>, resolved to loopback.</summary>
    private GrpcChannel Channel(string host) => GrpcChannel.ForAddress($"http://127.0.0.1:{edge.Http}",
        new GrpcChannelOptions { HttpHandler = new AuthorityHandler($"{host}:{edge.Http}") });

    /// <summary>Sends every call to the gateway with the route's host as authority, as DNS would.</summary>
    private sealed class AuthorityHandler(string authority) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = authority;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
