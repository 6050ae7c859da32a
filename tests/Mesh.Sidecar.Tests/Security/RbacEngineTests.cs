using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Security;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>The RBAC filter chain: actions, order, reports, and configs that must be refused whole.</summary>
public sealed class RbacEngineTests
{
    private const string FromFrontend = """{"authenticated": {"principal_name": {"exact": "spiffe://cluster.local/ns/shop/sa/frontend"}}}""";
    private const string FromBackend = """{"authenticated": {"principal_name": {"exact": "spiffe://cluster.local/ns/shop/sa/backend"}}}""";
    private const string Any = """{"any": true}""";

    [Fact]
    public void An_engine_without_filters_allows_everything()
    {
        var decision = RbacEngine.Empty.Evaluate(TestRequests.Facts());

        Assert.True(decision.Allowed);
        Assert.Empty(decision.Reports);
    }

    [Fact]
    public void An_ALLOW_filter_no_policy_matches_denies_with_no_policy()
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Allow, principal: FromBackend)]);

        var decision = engine.Evaluate(TestRequests.Facts());

        Assert.False(decision.Allowed);
        Assert.Equal(0, decision.FilterIndex);
        Assert.Null(decision.PolicyId);
        Assert.Equal("rbac_access_denied_matched_policy[none]", decision.ResponseCodeDetails);
        Assert.StartsWith(RbacDecision.DeniedBody, decision.Reason);
    }

    [Fact]
    public void An_ALLOW_filter_without_policies_denies_everything_and_a_DENY_filter_without_policies_nothing()
    {
        Assert.False(RbacEngine.Compile([new HttpRbac { Rules = new RBAC { Action = RBAC.Types.Action.Allow } }]).Evaluate(TestRequests.Facts()).Allowed);
        Assert.True(RbacEngine.Compile([new HttpRbac { Rules = new RBAC { Action = RBAC.Types.Action.Deny } }]).Evaluate(TestRequests.Facts()).Allowed);
    }

    [Fact]
    public void A_DENY_filter_before_an_ALLOW_filter_denies_even_what_the_ALLOW_filter_allows()
    {
        var engine = RbacEngine.Compile(
        [
            new HttpRbac { Rules = Rbac.Rules(RBAC.Types.Action.Deny, ("ns[shop]-policy[no-items]-rule[0]", """{"url_path": {"path": {"prefix": "/v1/items"}}}""", Any)) },
            Rbac.Filter(RBAC.Types.Action.Allow, principal: FromFrontend),
        ]);

        var decision = engine.Evaluate(TestRequests.Facts());

        Assert.False(decision.Allowed);
        Assert.Equal(0, decision.FilterIndex);
        Assert.Equal("ns[shop]-policy[no-items]-rule[0]", decision.PolicyId);
        Assert.Equal("rbac_access_denied_matched_policy[ns[shop]-policy[no-items]-rule[0]]", decision.ResponseCodeDetails);
    }

    [Fact]
    public void A_request_must_pass_every_filter_in_the_chain()
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Allow, principal: FromFrontend), Rbac.Filter(RBAC.Types.Action.Allow, principal: FromBackend)]);

        var decision = engine.Evaluate(TestRequests.Facts());

        Assert.False(decision.Allowed);
        Assert.Equal(1, decision.FilterIndex);
    }

    [Fact]
    public void The_first_matching_policy_in_name_order_is_the_one_reported()
    {
        var engine = RbacEngine.Compile([new HttpRbac { Rules = Rbac.Rules(RBAC.Types.Action.Deny, ("zeta", Any, Any), ("alpha", Any, Any), ("beta", Any, FromBackend)) }]);

        Assert.Equal("alpha", engine.Evaluate(TestRequests.Facts()).PolicyId);
    }

    [Fact]
    public void A_policy_needs_a_matching_permission_and_a_matching_principal()
    {
        var engine = RbacEngine.Compile([new HttpRbac
        {
            Rules = Rbac.Rules(RBAC.Types.Action.Allow,
                ("right-path-wrong-caller", """{"url_path": {"path": {"exact": "/v1/items"}}}""", FromBackend),
                ("wrong-path-right-caller", """{"url_path": {"path": {"exact": "/v2/items"}}}""", FromFrontend)),
        }]);

        Assert.False(engine.Evaluate(TestRequests.Facts()).Allowed);
    }

    [Fact]
    public void A_LOG_filter_never_denies_but_reports_the_policy_that_matched()
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Log, principal: FromFrontend, policy: "audit-frontend"), Rbac.Filter(RBAC.Types.Action.Log, principal: FromBackend)]);

        var decision = engine.Evaluate(TestRequests.Facts());

        Assert.True(decision.Allowed);
        var report = Assert.Single(decision.Reports);
        Assert.Equal(new RbacReport(0, RbacReportKind.Log, true, "audit-frontend"), report);
    }

    [Fact]
    public void Shadow_rules_are_reported_and_never_enforced()
    {
        var filter = new HttpRbac { ShadowRules = Rbac.Rules(RBAC.Types.Action.Allow, ("only-backend", Any, FromBackend)) };
        var engine = RbacEngine.Compile([filter]);

        var decision = engine.Evaluate(TestRequests.Facts());

        Assert.True(decision.Allowed);
        Assert.Equal(new RbacReport(0, RbacReportKind.Shadow, false, null), Assert.Single(decision.Reports));
    }

    [Fact]
    public void A_denial_keeps_the_reports_of_the_filters_before_it()
    {
        var engine = RbacEngine.Compile(
        [
            new HttpRbac { ShadowRules = Rbac.Rules(RBAC.Types.Action.Deny, ("dry-run", Any, FromFrontend)) },
            Rbac.Filter(RBAC.Types.Action.Deny, principal: FromFrontend, policy: "enforced"),
        ]);

        var decision = engine.Evaluate(TestRequests.Facts());

        Assert.False(decision.Allowed);
        Assert.Equal("enforced", decision.PolicyId);
        Assert.Equal(new RbacReport(0, RbacReportKind.Shadow, false, "dry-run"), Assert.Single(decision.Reports));
    }

    [Fact]
    public void One_engine_answers_many_requests_at_once()
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Allow, permission: """{"header": {"name": "x-n", "string_match": {"safe_regex": {"regex": "[0-9]*[02468]"}}}}""")]);

        var answers = Enumerable.Range(0, 2000).AsParallel().Select(n =>
            engine.Evaluate(TestRequests.Facts(context => context.Request.Headers["x-n"] = n.ToString())).Allowed == (n % 2 == 0));

        Assert.All(answers, Assert.True);
    }
}
