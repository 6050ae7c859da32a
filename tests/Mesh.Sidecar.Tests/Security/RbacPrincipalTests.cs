using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Security;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>Every kind of RBAC principal, asked about <see cref="TestRequests"/>: an ALLOW policy with that principal
/// (and any permission) must let the request through exactly when the principal matches.</summary>
public sealed class RbacPrincipalTests
{
    [Theory]
    [InlineData("""{"any": true}""", true)]
    [InlineData("""{"authenticated": {}}""", true)]
    [InlineData("""{"authenticated": {"principal_name": {"exact": "spiffe://cluster.local/ns/shop/sa/frontend"}}}""", true)]
    [InlineData("""{"authenticated": {"principal_name": {"exact": "spiffe://cluster.local/ns/shop/sa/backend"}}}""", false)]
    [InlineData("""{"authenticated": {"principal_name": {"prefix": "spiffe://cluster.local/ns/shop/"}}}""", true)]
    [InlineData("""{"authenticated": {"principal_name": {"suffix": "/SA/FRONTEND", "ignore_case": true}}}""", true)]
    [InlineData("""{"authenticated": {"principal_name": {"suffix": "/SA/FRONTEND"}}}""", false)]
    [InlineData("""{"authenticated": {"principal_name": {"contains": "/ns/shop/"}}}""", true)]
    [InlineData("""{"authenticated": {"principal_name": {"safe_regex": {"regex": "spiffe://cluster\\.local/ns/[^/]+/sa/frontend"}}}}""", true)]
    [InlineData("""{"authenticated": {"principal_name": {"safe_regex": {"regex": "ns/shop"}}}}""", false)]
    [InlineData("""{"direct_remote_ip": {"address_prefix": "10.1.0.0", "prefix_len": 16}}""", true)]
    [InlineData("""{"direct_remote_ip": {"address_prefix": "10.1.9.9", "prefix_len": 16}}""", true)]
    [InlineData("""{"direct_remote_ip": {"address_prefix": "203.0.113.0", "prefix_len": 24}}""", false)]
    [InlineData("""{"direct_remote_ip": {"address_prefix": "0.0.0.0"}}""", true)]
    [InlineData("""{"direct_remote_ip": {"address_prefix": "::", "prefix_len": 0}}""", false)]
    [InlineData("""{"remote_ip": {"address_prefix": "203.0.113.0", "prefix_len": 24}}""", true)]
    [InlineData("""{"remote_ip": {"address_prefix": "10.1.2.3", "prefix_len": 32}}""", false)]
    [InlineData("""{"source_ip": {"address_prefix": "10.1.2.3", "prefix_len": 32}}""", true)]
    [InlineData("""{"header": {"name": ":authority", "string_match": {"exact": "api.example.com"}}}""", true)]
    [InlineData("""{"header": {"name": ":method", "string_match": {"exact": "GET"}}}""", true)]
    [InlineData("""{"header": {"name": ":path", "string_match": {"exact": "/v1/items?page=2"}}}""", true)]
    [InlineData("""{"header": {"name": "X-User", "exact_match": "alice"}}""", true)]
    [InlineData("""{"url_path": {"path": {"exact": "/v1/items"}}}""", true)]
    [InlineData("""{"url_path": {"path": {"prefix": "/V1/", "ignore_case": true}}}""", true)]
    [InlineData("""{"url_path": {"path": {"exact": "/v1/items?page=2"}}}""", false)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.principal"}], "value": {"string_match": {"exact": "https://issuer.example.com/alice"}}}}""", true)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.claims"}, {"key": "groups"}], "value": {"list_match": {"one_of": {"string_match": {"exact": "admin"}}}}}}""", true)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.claims"}, {"key": "groups"}], "value": {"list_match": {"one_of": {"string_match": {"exact": "root"}}}}}}""", false)]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.claims"}, {"key": "org"}, {"key": "team"}], "value": {"list_match": {"one_of": {"string_match": {"prefix": "pay"}}}}}}""", true)]
    [InlineData("""{"and_ids": {"ids": [{"authenticated": {}}, {"remote_ip": {"address_prefix": "203.0.113.7", "prefix_len": 32}}]}}""", true)]
    [InlineData("""{"and_ids": {"ids": [{"authenticated": {}}, {"remote_ip": {"address_prefix": "192.0.2.0", "prefix_len": 24}}]}}""", false)]
    [InlineData("""{"or_ids": {"ids": [{"remote_ip": {"address_prefix": "192.0.2.0", "prefix_len": 24}}, {"header": {"name": "x-user", "present_match": true}}]}}""", true)]
    [InlineData("""{"or_ids": {"ids": [{"remote_ip": {"address_prefix": "192.0.2.0", "prefix_len": 24}}, {"header": {"name": "x-none", "present_match": true}}]}}""", false)]
    [InlineData("""{"not_id": {"any": true}}""", false)]
    [InlineData("""{"not_id": {"authenticated": {"principal_name": {"exact": "spiffe://cluster.local/ns/other/sa/default"}}}}""", true)]
    [InlineData("""{"filter_state": {"key": "io.istio.peer_principal", "string_match": {"exact": "anything"}}}""", false)]
    public void A_principal_lets_the_request_in_exactly_when_it_matches(string principal, bool matches)
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Allow, principal: principal)]);

        Assert.Equal(matches, engine.Evaluate(TestRequests.Facts()).Allowed);
    }

    [Theory]
    [InlineData("""{"authenticated": {}}""")]
    [InlineData("""{"authenticated": {"principal_name": {"exact": ""}}}""")]
    [InlineData("""{"authenticated": {"principal_name": {"safe_regex": {"regex": ".*"}}}}""")]
    public void Authenticated_never_matches_a_request_without_mTLS(string principal)
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Allow, principal: principal)]);

        Assert.False(engine.Evaluate(TestRequests.Facts(peer: null)).Allowed);
    }
}
