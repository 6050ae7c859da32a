namespace Mesh.Config.Tests.Validation.Schemas;

/// <summary>Every field through which a resource names or writes a header, a cookie, a redirect location or an
/// authority is checked by the rules in Rules/Http.cs. Every row was accepted before issue 10.</summary>
public class HeaderFieldsTests
{
    private const string Route = """{"destination": {"host": "reviews"}}""";

    /// <summary>The fields of a JSON object, without its braces, to splice into another.</summary>
    private static string Inner(string json) => json.Trim()[1..^1];

    private static string Http(string fields, string destination = Route)
        => $$"""{"hosts": ["reviews"], "http": [{"route": [{{destination}}], {{fields}}}]}""";

    [Theory]
    // Istio ValidateHTTPHeaderValue on request and response set/add, route level.
    [InlineData("""{"headers": {"request": {"set": {"x-a": "v\r\nX-Injected: 1"}}}}""", "spec.http[0].headers.request.set.x-a", "U+000D")]
    [InlineData("""{"headers": {"request": {"add": {"x-a": "v\nX-Injected: 1"}}}}""", "spec.http[0].headers.request.add.x-a", "U+000A")]
    [InlineData("""{"headers": {"response": {"set": {"x-a": "v\r\n"}}}}""", "spec.http[0].headers.response.set.x-a", "U+000D")]
    [InlineData("""{"headers": {"response": {"add": {"x-a": "a\u0000b"}}}}""", "spec.http[0].headers.response.add.x-a", "U+0000")]
    [InlineData("""{"headers": {"request": {"set": {"x-a": "50%"}}}}""", "spec.http[0].headers.request.set.x-a", "write %% for a literal %")]
    // Istio ValidateHTTPHeaderOperationName: Host may not be removed, nor touched on a response.
    [InlineData("""{"headers": {"request": {"remove": ["Host"]}}}""", "spec.http[0].headers.request.remove[0]", "Host header")]
    [InlineData("""{"headers": {"response": {"set": {"host": "a"}}}}""", "spec.http[0].headers.response.set.host", "Host header")]
    // Istio ValidateCORSHTTPHeaderName and the CORS method list.
    [InlineData("""{"corsPolicy": {"allowHeaders": ["x a"]}}""", "spec.http[0].corsPolicy.allowHeaders[0]", "not a valid HTTP header name")]
    [InlineData("""{"corsPolicy": {"exposeHeaders": ["x\r\nSet-Cookie"]}}""", "spec.http[0].corsPolicy.exposeHeaders[0]", "not a valid HTTP header name")]
    [InlineData("""{"corsPolicy": {"allowMethods": ["GET\r\nX-A: 1"]}}""", "spec.http[0].corsPolicy.allowMethods[0]", "not a supported HTTP method")]
    [InlineData("""{"corsPolicy": {"allowOrigin": ["https://a\r\nX-A: 1"]}}""", "spec.http[0].corsPolicy.allowOrigin[0]", "control character")]
    // The Location header of a redirect, the request line and Host header of a rewrite; Istio: scheme is http or https.
    public void VirtualService_RouteLevel_IsRefused(string fields, string path, string reason)
        => Specs.AssertRefused("VirtualService", Http(Inner(fields)), path, reason);

    [Theory]
    [InlineData("""{"redirect": {"uri": "/x\r\nSet-Cookie: a=b"}}""", "spec.http[0].redirect.uri", "control character")]
    [InlineData("""{"redirect": {"authority": "a\r\nb"}}""", "spec.http[0].redirect.authority", "control character")]
    [InlineData("""{"redirect": {"uri": "/", "scheme": "javascript"}}""", "spec.http[0].redirect.scheme", "is not one of http, https")]
    public void VirtualService_Redirect_IsRefused(string fields, string path, string reason)
        => Specs.AssertRefused("VirtualService", $$"""{"hosts": ["reviews"], "http": [{{{Inner(fields)}}}]}""", path, reason);

    [Theory]
    [InlineData("""{"rewrite": {"authority": "a\nb"}}""", "spec.http[0].rewrite.authority", "control character")]
    [InlineData("""{"rewrite": {"authority": "a b"}}""", "spec.http[0].rewrite.authority", "is not a host[:port]")]
    [InlineData("""{"rewrite": {"uri": "/\r\nX-A: 1"}}""", "spec.http[0].rewrite.uri", "control character")]
    [InlineData("""{"rewrite": {"uriRegexRewrite": {"match": "^/a", "rewrite": "/b\n"}}}""", "spec.http[0].rewrite.uriRegexRewrite.rewrite", "control character")]
    public void VirtualService_Rewrite_IsRefused(string fields, string path, string reason)
        => Specs.AssertRefused("VirtualService", Http(Inner(fields)), path, reason);

    [Theory]
    // Istio validateHTTPRouteDestinations applies the same header rules to each destination.
    [InlineData("""{"request": {"set": {"x-a": "v\r\nX-Injected: 1"}}}""", "spec.http[0].route[0].headers.request.set.x-a")]
    [InlineData("""{"response": {"add": {"x-a": "v\n"}}}""", "spec.http[0].route[0].headers.response.add.x-a")]
    public void VirtualService_DestinationLevel_IsRefused(string headers, string path)
        => Specs.AssertRefused("VirtualService",
            $$"""{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}, "headers": {{headers}}}]}]}""", path, "control character");

    [Theory]
    // The cookie a consistent hash sets goes out in Set-Cookie: an RFC 6265 token name, no ';' or controls after it.
    [InlineData("""{"httpCookie": {"name": "a b", "ttl": "0s"}}""", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name", "not a valid cookie name")]
    [InlineData("""{"httpCookie": {"name": "a", "path": "/;Domain=evil"}}""", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.path", "must not contain ';'")]
    [InlineData("""{"httpCookie": {"name": "a", "attributes": [{"name": "SameSite", "value": "Lax\r\nX-A: 1"}]}}""", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[0].value", "control character")]
    [InlineData("""{"httpCookie": {"name": "a", "attributes": [{"name": "Same Site"}]}}""", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[0].name", "not a valid cookie name")]
    public void DestinationRule_Cookie_IsRefused(string consistentHash, string path, string reason)
        => Specs.AssertRefused("DestinationRule", """{"host": "reviews", "trafficPolicy": {"loadBalancer": {"consistentHash": """ + consistentHash + "}}}", path, reason);

    [Fact]
    public void DestinationRule_TunnelTargetHost_IsAHost()
        => Specs.AssertRefused("DestinationRule", """{"host": "reviews", "trafficPolicy": {"tunnel": {"targetHost": "a\r\nb", "targetPort": 80}}}""",
            "spec.trafficPolicy.tunnel.targetHost", "not a valid DNS name");

    [Theory]
    // Istio validateJwtRule: ValidateStrictHTTPHeaderName for outputClaimToHeaders, non-empty audiences and locations.
    [InlineData("""{"outputClaimToHeaders": [{"header": "x_user", "claim": "sub"}]}""", "outputClaimToHeaders[0].header", "letters, digits and '-' only")]
    [InlineData("""{"outputClaimToHeaders": [{"header": "x-user", "claim": ""}]}""", "outputClaimToHeaders[0].claim", "claim must be a non-empty string")]
    [InlineData("""{"audiences": [""]}""", "audiences[0]", "audience must be a non-empty string")]
    [InlineData("""{"fromParams": [""]}""", "fromParams[0]", "location query must be a non-empty string")]
    [InlineData("""{"fromCookies": ["a b"]}""", "fromCookies[0]", "not a valid cookie name")]
    [InlineData("""{"fromHeaders": [{"name": "authorization", "prefix": "Bearer\r\n"}]}""", "fromHeaders[0].prefix", "control character")]
    public void RequestAuthentication_IsRefused(string fields, string path, string reason)
        => Specs.AssertRefused("RequestAuthentication", """{"jwtRules": [{"issuer": "https://issuer", """ + Inner(fields) + "}]}", $"spec.jwtRules[0].{path}", reason);

    [Theory]
    // Istio ValidateProbeHeaderName; the probe's value and path are written into the probe request as they are.
    [InlineData("""{"name": "x_a", "value": "1"}""", "name", "letters, digits and '-' only")]
    [InlineData("""{"name": "x-a", "value": "1\r\nX-B: 2"}""", "value", "control character")]
    public void WorkloadGroup_ProbeHeader_IsRefused(string header, string field, string reason)
        => Specs.AssertRefused("WorkloadGroup", """{"template": {}, "probe": {"httpGet": {"port": 8080, "httpHeaders": [""" + header + "]}}}",
            $"spec.probe.httpGet.httpHeaders[0].{field}", reason);

    [Theory]
    [InlineData("""{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}, "headers": {"request": {"set": {"x-b": "%REQ(x-a)%"}}}}], "headers": {"request": {"set": {"x-a": "a\tb", "Host": "reviews"}, "add": {"x-c": "100%%"}, "remove": ["x-d"]}, "response": {"remove": ["server"]}}, "corsPolicy": {"allowHeaders": ["*", "x-a"], "allowMethods": ["GET", "*"], "exposeHeaders": ["x-b"]}}]}""")]
    [InlineData("""{"hosts": ["reviews"], "http": [{"redirect": {"uri": "/v2", "authority": "reviews:9080", "scheme": "https"}}]}""")]
    public void VirtualService_ValidHeaders_AreAccepted(string spec) => Specs.AssertValid("VirtualService", spec);
}
