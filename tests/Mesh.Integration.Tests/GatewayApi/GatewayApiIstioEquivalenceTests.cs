using static Mesh.Integration.Tests.GatewayApi.GatewayApiEdge;

namespace Mesh.Integration.Tests.GatewayApi;

/// <summary>The same routes written as an Istio Gateway and VirtualService and as a Gateway API HTTPRoute, served by the
/// same gateway process, give the same answers to the same requests.</summary>
[Collection(GatewayApiEdgeCollection.Name)]
public sealed class GatewayApiIstioEquivalenceTests(GatewayApiEdge edge)
{
    private const string IstioHost = "istio.example.com";
    private const string ApiHost = "gwapi.example.com";

    [Fact]
    public async Task Istio_Gateway_with_VirtualService_and_Gateway_API_HTTPRoute_answer_alike()
    {
        await edge.Apply($$$"""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: istio-edge, namespace: {{{GatewayNamespace}}}}
            spec:
              selector: {gateway.networking.k8s.io/gateway-name: edge}
              servers:
              - port: {number: {{{edge.Http}}}, name: http, protocol: HTTP}
                hosts: [{{{Shop}}}/{{{IstioHost}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: same-routes, namespace: {{{Shop}}}}
            spec:
              hosts: [{{{IstioHost}}}]
              gateways: [{{{GatewayNamespace}}}/istio-edge]
              http:
              - match: [{uri: {exact: /exact} }]
                route: [{destination: {host: web-v2.shop.svc.cluster.local, port: {number: 8080} } }]
              - match: [{uri: {prefix: /api/}, headers: {x-canary: {exact: "yes"} } }]
                rewrite: {uri: /v2/}
                route: [{destination: {host: web-v2.shop.svc.cluster.local, port: {number: 8080} } }]
              - match: [{uri: {prefix: /api/}}]
                headers: {request: {set: {x-edge: istio-or-api} } }
                route: [{destination: {host: web-v1.shop.svc.cluster.local, port: {number: 8080} } }]
              - match: [{uri: {prefix: /old}}]
                redirect: {uri: /new, redirectCode: 302}
            """ + Route(Shop, "same-routes", ApiHost, """
            - matches: [{path: {type: Exact, value: /exact}}]
              backendRefs: [{name: web-v2, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /api/}, headers: [{name: x-canary, value: "yes"}]}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2/}}}]
              backendRefs: [{name: web-v2, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /api/}}]
              filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-edge, value: istio-or-api}]}}]
              backendRefs: [{name: web-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /old}}]
              filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /new}, statusCode: 302}}]
            """));

        await edge.UntilAnswers(IstioHost, "/exact", r => Backend(r) == "web-v2", "the Istio routes");
        await edge.UntilAnswers(ApiHost, "/exact", r => Backend(r) == "web-v2", "the Gateway API routes");
        (string Path, string[] Options)[] requests =
        [
            ("/exact", []), ("/exact/more", []), ("/api/items", []), ("/api/items", ["-H", "x-canary: yes"]),
            ("/old", ["-D", "-"]), ("/elsewhere", []),
        ];
        foreach (var (path, options) in requests)
        {
            var (istio, api) = (await edge.Send(IstioHost, path, options: options), await edge.Send(ApiHost, path, options: options));
            Assert.True(Answer(istio) == Answer(api), $"{path} {string.Join(' ', options)}: Istio {Answer(istio)} vs Gateway API {Answer(api)}");
        }
    }

    /// <summary>What a client sees: the status, the backend, the path and edge header it got, and where a redirect points
    /// (the host aside, since the two routes answer for different hosts).</summary>
    private static string Answer(Infrastructure.Curl.Reply reply)
    {
        var echo = Echo(reply);
        var location = reply.Body.Split('\n').FirstOrDefault(l => l.StartsWith("location:", StringComparison.OrdinalIgnoreCase))?.Trim();
        var path = location is null ? null : new Uri(location["location:".Length..].Trim()).PathAndQuery;
        return $"{reply.Status} {echo?["backend"]} {echo?["path"]} {echo?["headers"]?["x-edge"]} {path}";
    }
}
