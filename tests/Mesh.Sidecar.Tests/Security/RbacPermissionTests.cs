using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Security;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>Every kind of RBAC permission, asked about <see cref="TestRequests"/> (GET /v1/items?page=2 to
/// 10.0.0.5:8080, SNI api.example.com): a DENY policy with that permission must stop the request exactly when the
/// permission matches.</summary>
public sealed class RbacPermissionTests
{
    [Theory]
    [InlineData("""{"any": true}""", true)]
    [InlineData("""{"header": {"name": ":method", "string_match": {"exact": "POST"}}}""", false)]
    [InlineData("""{"url_path": {"path": {"exact": "/v1/items"}}}""", true)]
    [InlineData("""{"url_path": {"path": {"safe_regex": {"regex": "/v1/[a-z]+"}}}}""", true)]
    [InlineData("""{"url_path": {"path": {"safe_regex": {"regex": "/v1"}}}}""", false)]
    [InlineData("""{"destination_port": 8080}""", true)]
    [InlineData("""{"destination_port": 9090}""", false)]
    [InlineData("""{"destination_port_range": {"start": 8000, "end": 8081}}""", true)]
    [InlineData("""{"destination_port_range": {"start": 8000, "end": 8080}}""", false)]
    [InlineData("""{"destination_ip": {"address_prefix": "10.0.0.0", "prefix_len": 24}}""", true)]
    [InlineData("""{"destination_ip": {"address_prefix": "10.0.1.0", "prefix_len": 24}}""", false)]
    [InlineData("""{"requested_server_name": {"exact": "api.example.com"}}""", true)]
    [InlineData("""{"requested_server_name": {"suffix": ".EXAMPLE.COM", "ignore_case": true}}""", true)]
    [InlineData("""{"requested_server_name": {"exact": ""}}""", false)]
    [InlineData("""{"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "https://issuer.example.com"}, {"key": "exp"}], "value": {"double_match": {"range": {"start": 0, "end": 2000000000}}}}}""", true)]
    [InlineData("""{"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "https://issuer.example.com"}, {"key": "exp"}], "value": {"double_match": {"exact": 1900000000}}}}""", true)]
    [InlineData("""{"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "https://issuer.example.com"}, {"key": "email_verified"}], "value": {"bool_match": true}}}""", true)]
    [InlineData("""{"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "https://issuer.example.com"}, {"key": "nothing"}], "value": {"null_match": {}}}}""", true)]
    [InlineData("""{"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "https://issuer.example.com"}, {"key": "absent"}], "value": {"null_match": {}}}}""", false)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.audiences"}], "value": {"present_match": true}}}""", true)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.presenter"}], "value": {"present_match": true}}}""", false)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.presenter"}], "value": {"present_match": false}}}""", false)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.presenter"}], "value": {"present_match": true}, "invert": true}}""", true)]
    [InlineData("""{"metadata": {"filter": "other_filter", "path": [{"key": "k"}], "value": {"present_match": true}}}""", false)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.audiences"}, {"key": "deeper"}], "value": {"present_match": true}}}""", false)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.audiences"}], "value": {"or_match": {"value_matchers": [{"string_match": {"exact": "x"}}, {"string_match": {"exact": "shop"}}]}}}}""", true)]
    [InlineData("""{"and_rules": {"rules": [{"destination_port": 8080}, {"url_path": {"path": {"prefix": "/v1/"}}}]}}""", true)]
    [InlineData("""{"and_rules": {"rules": [{"destination_port": 8080}, {"url_path": {"path": {"prefix": "/v2/"}}}]}}""", false)]
    [InlineData("""{"or_rules": {"rules": [{"destination_port": 1}, {"header": {"name": ":method", "string_match": {"exact": "GET"}}}]}}""", true)]
    [InlineData("""{"not_rule": {"destination_port": 8080}}""", false)]
    [InlineData("""{"not_rule": {"url_path": {"path": {"prefix": "/admin"}}}}""", true)]
    public void A_permission_denies_the_request_exactly_when_it_matches(string permission, bool matches)
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Deny, permission: permission)]);

        var decision = engine.Evaluate(TestRequests.Facts());

        Assert.Equal(matches, !decision.Allowed);
    }

    [Fact]
    public void Requested_server_name_is_empty_without_SNI()
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Allow, permission: """{"requested_server_name": {"exact": ""}}""")]);

        var facts = TestRequests.Facts() with { RequestedServerName = null };

        Assert.True(engine.Evaluate(facts).Allowed);
    }
}
