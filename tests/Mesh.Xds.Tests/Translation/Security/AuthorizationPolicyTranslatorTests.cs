using Envoy.Config.Rbac.V3;
using Google.Protobuf;
using Mesh.Grains.Services;
using Mesh.Xds.Translation.Security;
using static Mesh.Xds.Tests.Translation.Security.SecuritySpecs;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;

namespace Mesh.Xds.Tests.Translation.Security;

public sealed class AuthorizationPolicyTranslatorTests
{
    private static IReadOnlyList<RBAC> Rules(AuthorizationFilters filters)
    {
        Assert.All(filters.Filters, f => Assert.Equal("envoy.filters.http.rbac", f.Name));
        return filters.Filters.Select(f => f.TypedConfig.Unpack<HttpRbac>().Rules).ToList();
    }

    private static RBAC Single(params ConfigSpec[] policies)
    {
        var filters = AuthorizationPolicyTranslator.Translate(policies, TrustDomain);
        Assert.Empty(filters.Warnings);
        return Assert.Single(Rules(filters));
    }

    [Fact]
    public void Without_policies_there_is_no_filter()
    {
        var filters = AuthorizationPolicyTranslator.Translate([], TrustDomain);

        Assert.Empty(filters.Filters);
        Assert.Empty(filters.Warnings);
    }

    [Fact]
    public void Audit_then_deny_then_allow_as_Istio_orders_them()
    {
        var filters = AuthorizationPolicyTranslator.Translate(
            [
                Authorization("a-allow", """{"rules": [{}]}"""),
                Authorization("b-deny", """{"action": "DENY", "rules": [{"to": [{"operation": {"paths": ["/admin/*"]}}]}]}"""),
                Authorization("c-audit", """{"action": "AUDIT", "rules": [{}]}"""),
            ],
            TrustDomain);

        var rules = Rules(filters);
        Assert.Equal([RBAC.Types.Action.Log, RBAC.Types.Action.Deny, RBAC.Types.Action.Allow], rules.Select(r => r.Action));
        Assert.Equal(["ns[foo]-policy[c-audit]-rule[0]"], rules[0].Policies.Keys);
        Assert.Equal(["ns[foo]-policy[b-deny]-rule[0]"], rules[1].Policies.Keys);
        Assert.Equal(["ns[foo]-policy[a-allow]-rule[0]"], rules[2].Policies.Keys);
    }

    [Fact]
    public void Deny_policies_alone_give_no_allow_filter_so_the_rest_is_allowed()
    {
        var rules = Single(Authorization("deny", """{"action": "DENY", "rules": [{"from": [{"source": {"namespaces": ["bar"]}}]}]}"""));

        Assert.Equal(RBAC.Types.Action.Deny, rules.Action);
    }

    [Fact]
    public void An_allow_policy_without_rules_allows_nothing()
    {
        var rules = Single(Authorization("allow-nothing", "{}"));

        Assert.Equal(RBAC.Types.Action.Allow, rules.Action);
        var policy = Assert.Single(rules.Policies);
        Assert.Equal("ns[foo]-policy[allow-nothing]-rule[0]", policy.Key);
        Assert.True(Assert.Single(policy.Value.Permissions).NotRule.Any);
        Assert.True(Assert.Single(policy.Value.Principals).NotId.Any);
    }

    [Fact]
    public void An_empty_rule_matches_every_request()
    {
        var policy = Assert.Single(Single(Authorization("allow-all", """{"rules": [{}]}""")).Policies).Value;

        Assert.True(Assert.Single(policy.Permissions).Any);
        Assert.True(Assert.Single(policy.Principals).Any);
    }

    [Fact]
    public void Each_rule_is_one_policy_named_after_namespace_policy_and_index()
    {
        var rules = Single(Authorization("httpbin", """
            {"rules": [{"to": [{"operation": {"methods": ["GET"]}}]}, {"to": [{"operation": {"methods": ["POST"]}}]}]}
            """));

        Assert.Equal(["ns[foo]-policy[httpbin]-rule[0]", "ns[foo]-policy[httpbin]-rule[1]"], rules.Policies.Keys);
    }

    [Fact]
    public void Sources_are_ORed_operations_are_ORed_and_conditions_join_every_alternative()
    {
        var policy = Single(Authorization("httpbin", """
            {"rules": [{
              "from": [{"source": {"namespaces": ["bar"]}}, {"source": {"principals": ["cluster.local/ns/baz/sa/sleep"]}}],
              "to": [{"operation": {"methods": ["GET"]}}, {"operation": {"paths": ["/data"]}}],
              "when": [{"key": "request.headers[x-user]", "values": ["alice"]}, {"key": "destination.port", "values": ["8080"]}]}]}
            """)).Policies.Values.Single();

        Assert.Equal(2, policy.Principals.Count);
        Assert.All(policy.Principals, p => Assert.Equal(
            [Principal.IdentifierOneofCase.OrIds, Principal.IdentifierOneofCase.OrIds],
            p.AndIds.Ids.Select(id => id.IdentifierCase)));
        Assert.All(policy.Principals, p => Assert.Equal("x-user", OrIds(p.AndIds.Ids[1]).Single().Header.Name));
        Assert.Equal(2, policy.Permissions.Count);
        Assert.All(policy.Permissions, p => Assert.Equal(8080u, OrRules(p.AndRules.Rules[1]).Single().DestinationPort));
    }

    [Fact]
    public void A_custom_policy_fails_closed_denying_what_it_matches_with_a_warning()
    {
        var filters = AuthorizationPolicyTranslator.Translate(
            [Authorization("ext", """{"action": "CUSTOM", "provider": {"name": "opa"}, "rules": [{}]}""")], TrustDomain);

        var rbac = Assert.Single(filters.Filters).TypedConfig.Unpack<Envoy.Extensions.Filters.Http.Rbac.V3.RBAC>();
        Assert.Equal(Envoy.Config.Rbac.V3.RBAC.Types.Action.Deny, rbac.Rules.Action);
        Assert.Single(rbac.Rules.Policies);
        Assert.Contains("foo/ext", Assert.Single(filters.Warnings));
    }

    [Fact]
    public void An_allow_rule_with_an_unsupported_condition_is_skipped_so_it_allows_nothing()
    {
        var filters = AuthorizationPolicyTranslator.Translate(
            [Authorization("allow", """{"rules": [{"when": [{"key": "request.regex", "values": ["x"]}]}, {}]}""")], TrustDomain);

        Assert.Equal(["ns[foo]-policy[allow]-rule[1]"], Assert.Single(Rules(filters)).Policies.Keys);
        Assert.Contains("rule[0]", Assert.Single(filters.Warnings));
    }

    [Fact]
    public void A_deny_rule_with_an_unsupported_condition_keeps_its_other_constraints_and_denies_more()
    {
        var filters = AuthorizationPolicyTranslator.Translate(
            [Authorization("deny", """
                {"action": "DENY", "rules": [{"to": [{"operation": {"paths": ["/admin/*"]}}],
                  "when": [{"key": "request.regex", "values": ["x"]}]}]}
                """)],
            TrustDomain);

        var policy = Assert.Single(Assert.Single(Rules(filters)).Policies).Value;
        Assert.True(Assert.Single(policy.Principals).Any);
        var path = Assert.Single(OrRules(Assert.Single(Assert.Single(policy.Permissions).AndRules.Rules))).UrlPath.Path;
        Assert.Equal(("prefix", "/admin/"), Form(path));
        Assert.Single(filters.Warnings);
    }

    [Fact]
    public void The_trust_domain_reaches_the_principals()
    {
        var filters = AuthorizationPolicyTranslator.Translate(
            [Authorization("allow", """{"rules": [{"from": [{"source": {"principals": ["cluster.local/ns/bar/sa/sleep"]}}]}]}""")],
            "example.org");

        var principal = Assert.Single(Assert.Single(Rules(filters)).Policies).Value.Principals.Single().AndIds.Ids.Single();
        Assert.Equal(("exact", "spiffe://example.org/ns/bar/sa/sleep"), Form(OrIds(principal).Single().Authenticated.PrincipalName));
    }

    [Fact]
    public void The_output_does_not_depend_on_the_input_order()
    {
        ConfigSpec[] policies =
        [
            Authorization("b", """{"rules": [{"to": [{"operation": {"methods": ["GET"]}}]}]}"""),
            Authorization("a", """{"rules": [{"from": [{"source": {"namespaces": ["bar"]}}]}]}"""),
            Authorization("c", """{"action": "DENY", "rules": [{}]}"""),
        ];

        var forward = AuthorizationPolicyTranslator.Translate(policies, TrustDomain).Filters.Select(f => f.ToByteArray());
        var backward = AuthorizationPolicyTranslator.Translate(policies.Reverse().ToList(), TrustDomain).Filters.Select(f => f.ToByteArray());

        Assert.Equal(forward, backward);
    }
}
