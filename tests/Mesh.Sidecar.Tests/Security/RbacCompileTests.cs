using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Security;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>Configs mesh-sidecar cannot enforce exactly as Envoy would: refused whole, naming the field.</summary>
public sealed class RbacCompileTests
{
    private const string Any = """{"any": true}""";

    [Theory]
    [InlineData("""{"uri_template": {"name": "t"}}""", Any, "permissions[0].uri_template")]
    [InlineData("""{"matcher": {"name": "m"}}""", Any, "permissions[0].matcher")]
    [InlineData("""{"and_rules": {"rules": [{"any": true}, {"uri_template": {"name": "t"}}]}}""", Any, "permissions[0].and_rules.rules[1].uri_template")]
    [InlineData("""{"and_rules": {"rules": []}}""", Any, "permissions[0].and_rules.rules")]
    [InlineData("""{"any": false}""", Any, "permissions[0].any")]
    [InlineData("{}", Any, "permissions[0]")]
    [InlineData("""{"destination_port": 70000}""", Any, "permissions[0].destination_port")]
    [InlineData("""{"url_path": {"path": {"safe_regex": {"regex": "(a"}}}}""", Any, "permissions[0].url_path.path.safe_regex.regex")]
    [InlineData("""{"url_path": {"path": {"safe_regex": {"regex": "a)|(b"}}}}""", Any, "permissions[0].url_path.path.safe_regex.regex")]
    [InlineData("""{"url_path": {"path": {"safe_regex": {"regex": "(a)\\1"}}}}""", Any, "permissions[0].url_path.path.safe_regex.regex")]
    [InlineData("""{"url_path": {"path": {"prefix": ""}}}""", Any, "permissions[0].url_path.path.prefix")]
    [InlineData("""{"requested_server_name": {"custom": {"name": "c"}}}""", Any, "permissions[0].requested_server_name.custom")]
    [InlineData("""{"header": {"name": ""}}""", Any, "permissions[0].header.name")]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [], "value": {"present_match": true}}}""", Any, "permissions[0].metadata.path")]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "k"}]}}""", Any, "permissions[0].metadata.value")]
    [InlineData("""{"metadata": {"filter": "istio_authn", "path": [{"key": "k"}], "value": {"list_match": {}}}}""", Any, "permissions[0].metadata.value.list_match")]
    [InlineData(Any, """{"remote_ip": {"address_prefix": "10.0.0.0", "prefix_len": 33}}""", "principals[0].remote_ip.prefix_len")]
    [InlineData(Any, """{"direct_remote_ip": {"address_prefix": "10.1"}}""", "principals[0].direct_remote_ip.address_prefix")]
    [InlineData(Any, """{"not_id": {"or_ids": {"ids": [{"any": true}, {}]}}}""", "principals[0].not_id.or_ids.ids[1]")]
    [InlineData(Any, """{"authenticated": {"principal_name": {}}}""", "principals[0].authenticated.principal_name")]
    [InlineData(Any, """{"filter_state": {"key": ""}}""", "principals[0].filter_state.key")]
    public void An_unsupported_or_invalid_field_refuses_the_config_and_names_its_path(string permission, string principal, string field)
    {
        var config = Rbac.Filter(RBAC.Types.Action.Allow, permission, principal, policy: "ns[shop]-policy[p]-rule[0]");

        var error = Assert.Throws<RbacCompileException>(() => RbacEngine.Compile([config]));

        Assert.Equal("ns[shop]-policy[p]-rule[0]", error.PolicyName);
        Assert.Equal($"rbac[0].rules.policies[\"ns[shop]-policy[p]-rule[0]\"].{field}", error.FieldPath);
        Assert.Contains(error.FieldPath, error.Message);
    }

    [Fact]
    public void A_CEL_condition_refuses_the_config()
    {
        var config = Rbac.Filter(RBAC.Types.Action.Allow);
        config.Rules.Policies["p"].Condition = new Google.Api.Expr.V1Alpha1.Expr();

        var error = Assert.Throws<RbacCompileException>(() => RbacEngine.Compile([config]));

        Assert.Equal("rbac[0].rules.policies[\"p\"].condition", error.FieldPath);
    }

    [Fact]
    public void A_policy_without_principals_refuses_the_config()
    {
        var config = new HttpRbac { Rules = new RBAC { Action = RBAC.Types.Action.Allow, Policies = { ["p"] = new Policy { Permissions = { new Permission { Any = true } } } } } };

        var error = Assert.Throws<RbacCompileException>(() => RbacEngine.Compile([config]));

        Assert.Equal("rbac[0].rules.policies[\"p\"].principals", error.FieldPath);
    }

    [Fact]
    public void Audit_loggers_and_the_matcher_API_refuse_the_config()
    {
        var audited = Rbac.Filter(RBAC.Types.Action.Log);
        audited.Rules.AuditLoggingOptions = new RBAC.Types.AuditLoggingOptions();
        var matcher = new HttpRbac { Matcher = new global::Xds.Type.Matcher.V3.Matcher() };
        var shadowMatcher = new HttpRbac { ShadowMatcher = new global::Xds.Type.Matcher.V3.Matcher() };

        Assert.Equal("rbac[1].rules.audit_logging_options", Assert.Throws<RbacCompileException>(() => RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Log), audited])).FieldPath);
        Assert.Equal("rbac[0].matcher", Assert.Throws<RbacCompileException>(() => RbacEngine.Compile([matcher])).FieldPath);
        Assert.Equal("rbac[0].shadow_matcher", Assert.Throws<RbacCompileException>(() => RbacEngine.Compile([shadowMatcher])).FieldPath);
    }

    [Fact]
    public void An_error_in_shadow_rules_refuses_the_config_too()
    {
        var config = new HttpRbac { ShadowRules = Rbac.Rules(RBAC.Types.Action.Deny, ("dry", """{"uri_template": {"name": "t"}}""", Any)) };

        var error = Assert.Throws<RbacCompileException>(() => RbacEngine.Compile([config]));

        Assert.Equal("rbac[0].shadow_rules.policies[\"dry\"].permissions[0].uri_template", error.FieldPath);
    }
}
