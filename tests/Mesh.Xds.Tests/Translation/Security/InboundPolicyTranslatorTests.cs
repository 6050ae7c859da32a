using Mesh.Grains.Services;
using Mesh.Xds.Translation.Security;
using static Mesh.Xds.Tests.Translation.Security.SecuritySpecs;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;

namespace Mesh.Xds.Tests.Translation.Security;

public sealed class InboundPolicyTranslatorTests
{
    private static readonly Dictionary<string, string> Httpbin = new() { ["app"] = "httpbin" };

    private static InboundHttpPolicy Translate(params ConfigSpec[] all)
        => InboundPolicyTranslator.Translate(all, Namespace, Httpbin, Root, TrustDomain);

    [Fact]
    public void Without_policies_there_are_no_filters()
    {
        var policy = Translate();

        Assert.Empty(policy.Filters);
        Assert.Empty(policy.Warnings);
    }

    [Fact]
    public void Jwt_authn_comes_first_so_that_RBAC_sees_the_authenticated_end_user()
    {
        var policy = Translate(
            Authorization("require-jwt", """{"rules": [{"from": [{"source": {"requestPrincipals": ["*"]}}]}]}"""),
            Authentication("jwt", """{"jwtRules": [{"issuer": "a", "jwks": "{}"}]}"""),
            Authorization("deny-all", """{"action": "DENY", "rules": [{}]}""", Root));

        Assert.Equal(
            ["envoy.filters.http.jwt_authn", "envoy.filters.http.rbac", "envoy.filters.http.rbac"],
            policy.Filters.Select(f => f.Name));
        Assert.Equal(
            ["ns[istio-system]-policy[deny-all]-rule[0]"],
            policy.Filters[1].TypedConfig.Unpack<HttpRbac>().Rules.Policies.Keys);
    }

    [Fact]
    public void Only_the_policies_that_select_the_workload_are_translated()
    {
        var policy = Translate(
            Authorization("other-app", """{"selector": {"matchLabels": {"app": "reviews"}}, "rules": [{}]}"""),
            Authentication("other-namespace", """{"jwtRules": [{"issuer": "a", "jwks": "{}"}]}""", "bar"));

        Assert.Empty(policy.Filters);
    }

    [Fact]
    public void Warnings_of_both_translations_are_returned()
    {
        var policy = Translate(
            Authentication("jwt", """{"jwtRules": [{"issuer": "a"}]}"""),
            Authorization("ext", """{"action": "CUSTOM", "provider": {"name": "opa"}, "rules": [{}]}"""));

        Assert.Equal(2, policy.Warnings.Count);
        // The JWT filter, and the CUSTOM policy enforced as a DENY.
        Assert.Equal(2, policy.Filters.Count);
    }
}
