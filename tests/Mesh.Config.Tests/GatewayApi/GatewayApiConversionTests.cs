using Mesh.Config.GatewayApi;
using static Mesh.Config.Tests.GatewayApi.GatewayApiFixture;

namespace Mesh.Config.Tests.GatewayApi;

/// <summary>The conversion, one test per Gateway API conformance test it stands for (named as upstream names them).</summary>
public class GatewayApiConversionTests
{
    private const string Parent = "\"parentRefs\":[{\"name\":\"same-namespace\"}]";

    [Fact]
    public void GatewaySelectsItsWorkloadsAndServesItsListeners()
    {
        var binding = Assert.Single(Convert([]).Bindings);
        Assert.Equal("same-namespace", binding.Gateway.Selector[GatewayApiNames.GatewayNameLabel]);
        var server = Assert.Single(binding.Gateway.Servers);
        Assert.Equal((80, "HTTP"), (server.Port.Number, server.Port.Protocol));
        Assert.Equal(["*"], server.Hosts);
    }

    [Fact]
    public void HTTPRouteExactPathMatching()
    {
        var route = HttpRoute("exact", $"{{{Parent},\"rules\":[{{\"matches\":[{{\"path\":{{\"type\":\"Exact\",\"value\":\"/one\"}}}}]," +
            "\"backendRefs\":[{\"name\":\"infra-backend-v1\",\"port\":8080}]}]}");
        var vs = Assert.Single(Assert.Single(Convert([route]).Bindings).VirtualServices);
        var http = Assert.Single(vs.Http);
        Assert.Equal("/one", http.Match[0].Uri!.Exact);
        Assert.Equal(80, http.Match[0].Port);
        Assert.Equal("infra-backend-v1.gateway-conformance-infra.svc.cluster.local", http.Route![0].Destination.Host);
        Assert.Equal(8080, http.Route[0].Destination.Port);
    }

    [Fact]
    public void HTTPRouteMatching_PathPrefixMatchesOnSegmentBoundaries()
    {
        var route = HttpRoute("prefix", $"{{{Parent},\"rules\":[{{\"matches\":[{{\"path\":{{\"type\":\"PathPrefix\",\"value\":\"/v2/\"}}}}],\"backendRefs\":[{{\"name\":\"b\",\"port\":80}}]}}]}}");
        var http = Assert.Single(Assert.Single(Convert([route]).Bindings).VirtualServices).Http;
        Assert.Equal(["/v2", null], http.Select(h => h.Match[0].Uri!.Exact));
        Assert.Equal([null, "/v2/"], http.Select(h => h.Match[0].Uri!.Prefix));
    }

    [Fact]
    public void HTTPRouteMatchingAcrossRoutes_AndHTTPRoutePathMatchOrder()
    {
        var older = HttpRoute("a", $"{{{Parent},\"rules\":[{{\"matches\":[{{\"path\":{{\"value\":\"/\"}}}}],\"backendRefs\":[{{\"name\":\"v1\",\"port\":80}}]}}]}}", ageSeconds: 10);
        var newer = HttpRoute("b", $"{{{Parent},\"rules\":[{{\"matches\":[{{\"path\":{{\"value\":\"/v2\"}}}},{{\"path\":{{\"value\":\"/v2/example\"}},\"headers\":[{{\"name\":\"Version\",\"value\":\"two\"}}]}}," +
            "{\"path\":{\"type\":\"Exact\",\"value\":\"/v2\"},\"method\":\"POST\"}],\"backendRefs\":[{\"name\":\"v2\",\"port\":80}]}]}");
        var http = Assert.Single(Assert.Single(Convert([older, newer]).Bindings).VirtualServices).Http;
        var order = http.Select(h => (h.Match[0].Uri!.Exact ?? h.Match[0].Uri!.Prefix, h.Match[0].Method?.Exact)).ToList();
        Assert.Equal(("/v2", "POST"), order[0]);
        Assert.Equal("/v2/example", order[1].Item1);
        Assert.Equal("version", Assert.Single(http[1].Match[0].Headers).Key);
        Assert.Equal("/", order[^1].Item1);
        Assert.Equal("v1.gateway-conformance-infra.svc.cluster.local", http[^1].Route![0].Destination.Host);
    }

    [Fact]
    public void HTTPRouteHostnameIntersection()
    {
        var gateway = Gateway("{\"name\":\"wild\",\"port\":80,\"protocol\":\"HTTP\",\"hostname\":\"*.wildcard.io\"}");
        var route = HttpRoute("r", $"{{{Parent},\"hostnames\":[\"foo.wildcard.io\",\"*.bar.wildcard.io\",\"other.io\"],\"rules\":[{{\"backendRefs\":[{{\"name\":\"b\",\"port\":80}}]}}]}}");
        var services = Assert.Single(Convert([route], gateway).Bindings).VirtualServices;
        Assert.Equal(["*.bar.wildcard.io", "foo.wildcard.io"], services.Select(s => s.Hosts[0]));
        Assert.Equal(["foo.wildcard.io", "*.bar.wildcard.io"], HostnameIntersection.Of("*.wildcard.io", ["foo.wildcard.io", "*.bar.wildcard.io", "other.io"]));
        Assert.Equal(["bar.example.com"], HostnameIntersection.Of("bar.example.com", ["*.example.com"]));
        Assert.Empty(HostnameIntersection.Of("*.example.com", ["example.com"]));
    }

    [Fact]
    public void HTTPRouteWeight_AndHTTPRouteRequestHeaderModifier()
    {
        var route = HttpRoute("w", $"{{{Parent},\"rules\":[{{\"filters\":[{{\"type\":\"RequestHeaderModifier\",\"requestHeaderModifier\":{{\"set\":[{{\"name\":\"X-Set\",\"value\":\"1\"}}],\"add\":[{{\"name\":\"X-Add\",\"value\":\"2\"}}],\"remove\":[\"X-Drop\"]}}}}]," +
            "\"backendRefs\":[{\"name\":\"v1\",\"port\":80,\"weight\":70},{\"name\":\"v2\",\"port\":80,\"weight\":30},{\"name\":\"v3\",\"port\":80,\"weight\":0}]}]}");
        var http = Assert.Single(Assert.Single(Assert.Single(Convert([route]).Bindings).VirtualServices).Http);
        Assert.Equal([70, 30], http.Route!.Select(d => d.Weight));
        Assert.Equal("1", http.Headers.Request.Set["x-set"]);
        Assert.Equal("2", http.Headers.Request.Add["x-add"]);
        Assert.Equal(["X-Drop"], http.Headers.Request.Remove);
    }

    [Fact]
    public void HTTPRouteRedirectScheme_AndHTTPRouteRewritePath()
    {
        var route = HttpRoute("rr", $"{{{Parent},\"rules\":[" +
            "{\"matches\":[{\"path\":{\"value\":\"/secure\"}}],\"filters\":[{\"type\":\"RequestRedirect\",\"requestRedirect\":{\"scheme\":\"https\"}}]}," +
            "{\"matches\":[{\"path\":{\"value\":\"/prefix/one\"}}],\"filters\":[{\"type\":\"URLRewrite\",\"urlRewrite\":{\"path\":{\"type\":\"ReplacePrefixMatch\",\"replacePrefixMatch\":\"/one\"}}}],\"backendRefs\":[{\"name\":\"b\",\"port\":80}]}]}");
        var http = Assert.Single(Assert.Single(Convert([route]).Bindings).VirtualServices).Http;
        var redirect = http.First(h => h.Redirect is not null).Redirect!;
        Assert.Equal(("https", 302, "FROM_PROTOCOL_DEFAULT"), (redirect.Scheme, redirect.RedirectCode, redirect.DerivePort));
        var rewrites = http.Where(h => h.Rewrite is not null).ToList();
        Assert.Equal("/one", rewrites.Single(h => h.Match[0].Uri!.Exact == "/prefix/one").Rewrite!.Uri);
        Assert.Equal("/one/", rewrites.Single(h => h.Match[0].Uri!.Prefix == "/prefix/one/").Rewrite!.Uri);
    }

    [Fact]
    public void GRPCExactMethodMatching()
    {
        var route = Object("GRPCRoute", Infra, "g", $"{{{Parent},\"rules\":[{{\"matches\":[{{\"method\":{{\"service\":\"foo.Foo\",\"method\":\"Echo\"}}}},{{\"method\":{{\"service\":\"bar.Bar\"}}}}],\"backendRefs\":[{{\"name\":\"grpc\",\"port\":9000}}]}}]}}");
        var http = Assert.Single(Assert.Single(Convert([route]).Bindings).VirtualServices).Http;
        Assert.Equal("/foo.Foo/Echo", http[0].Match[0].Uri!.Exact);
        Assert.Equal("/bar.Bar/", http[1].Match[0].Uri!.Prefix);
    }

    [Fact]
    public void HTTPRouteReferenceGrant_AndHTTPRouteInvalidCrossNamespaceBackendRef()
    {
        var route = HttpRoute("x", $"{{{Parent},\"rules\":[{{\"backendRefs\":[{{\"name\":\"web-backend\",\"namespace\":\"gateway-conformance-web-backend\",\"port\":8080}}]}}]}}");
        var denied = Convert([route]);
        Assert.Equal(500, Assert.Single(Assert.Single(denied.Bindings[0].VirtualServices).Http).DirectResponse!.Status);
        Assert.Equal("RefNotPermitted", ParentCondition(denied, route, "ResolvedRefs")["reason"]!.GetValue<string>());

        var grant = Object("ReferenceGrant", "gateway-conformance-web-backend", "g",
            "{\"from\":[{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"HTTPRoute\",\"namespace\":\"gateway-conformance-infra\"}],\"to\":[{\"group\":\"\",\"kind\":\"Service\"}]}",
            apiVersion: "gateway.networking.k8s.io/v1beta1");
        var allowed = Convert([route], grants: [grant]);
        Assert.Equal("web-backend.gateway-conformance-web-backend.svc.cluster.local", Assert.Single(allowed.Bindings[0].VirtualServices).Http[0].Route![0].Destination.Host);
        Assert.Equal("True", ParentCondition(allowed, route, "ResolvedRefs")["status"]!.GetValue<string>());
    }
}
