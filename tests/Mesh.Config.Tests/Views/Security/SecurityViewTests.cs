using System.Text.Json.Nodes;
using Mesh.Config.Views.Security;

namespace Mesh.Config.Tests.Views.Security;

public sealed class SecurityViewTests
{
    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("{}", null, false)]
    [InlineData("""{"selector": {}}""", 0, false)]
    [InlineData("""{"selector": {"matchLabels": {"app": "a"}}}""", 1, false)]
    [InlineData("""{"targetRefs": [{"kind": "Gateway", "name": "gw"}]}""", null, true)]
    public void Selection_KeepsNoSelectorApartFromAnEmptyOne(string spec, int? labels, bool byTargetRef)
    {
        var selection = AuthorizationPolicyView.From(Json(spec)).Selection;

        Assert.Equal((labels, byTargetRef), (selection.MatchLabels?.Count, selection.ByTargetRef));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("""{"app": "a"}""", true)]
    [InlineData("""{"app": "a", "version": "v2"}""", false)]
    [InlineData("""{"app": "b"}""", false)]
    public void Selection_SelectsWorkloadsCarryingEveryLabel(string? matchLabels, bool expected)
    {
        var spec = matchLabels is null ? "{}" : $$$"""{"selector": {"matchLabels": {{{matchLabels}}}}}""";

        Assert.Equal(expected, PeerAuthenticationView.From(Json(spec)).Selection.Selects(new Dictionary<string, string> { ["app"] = "a", ["version"] = "v1" }));
    }

    [Fact]
    public void AuthorizationPolicy_ActionDefaultsToAllow_AndRulesReadSourcesOperationsConditions()
    {
        var view = AuthorizationPolicyView.From(Json("""
            {"rules": [{"from": [{"source": {"principals": ["a"], "notNamespaces": ["b"]}}, {}],
                        "to": [{"operation": {"methods": ["GET"], "ports": ["80"]}}],
                        "when": [{"key": "request.headers[x]", "notValues": ["y"]}]}]}
            """));

        Assert.Equal(AuthorizationPolicyView.Allow, view.Action);
        var rule = Assert.Single(view.Rules);
        Assert.Equal(["a"], rule.Sources[0].Principals);
        Assert.Equal(["b"], rule.Sources[0].NotNamespaces);
        Assert.Empty(rule.Sources[1].Principals);
        Assert.Equal(["GET"], rule.Operations[0].Methods);
        Assert.Equal(["80"], rule.Operations[0].Ports);
        Assert.Equal(("request.headers[x]", 0), (rule.Conditions[0].Key, rule.Conditions[0].Values.Count));
        Assert.Equal(["y"], rule.Conditions[0].NotValues);
    }

    [Fact]
    public void AuthorizationPolicy_WithoutRules_HasNone()
    {
        var view = AuthorizationPolicyView.From(Json("""{"action": "DENY"}"""));

        Assert.Equal((AuthorizationPolicyView.Deny, 0), (view.Action, view.Rules.Count));
    }

    [Fact]
    public void PeerAuthentication_ModesDefaultToUnset()
    {
        var view = PeerAuthenticationView.From(Json("""
            {"selector": {"matchLabels": {"app": "a"}}, "portLevelMtls": {"9080": {"mode": "DISABLE"}, "8080": {}}}
            """));

        Assert.Equal(PeerAuthenticationView.Unset, view.Mode);
        Assert.Equal([(8080u, "UNSET"), (9080u, "DISABLE")], view.PortLevelMtls.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void RequestAuthentication_ReadsJwtRulesWithTheirDefaults()
    {
        var view = RequestAuthenticationView.From(Json("""
            {"jwtRules": [
              {"issuer": "https://idp", "jwksUri": "https://idp/keys", "timeout": "2s",
               "fromHeaders": [{"name": "x-jwt"}], "outputClaimToHeaders": [{"header": "x-sub", "claim": "sub"}]},
              {"issuer": "other", "jwks": "{}", "forwardOriginalToken": true}]}
            """));

        var (first, second) = (view.JwtRules[0], view.JwtRules[1]);
        Assert.Equal(("https://idp", "https://idp/keys", 2_000_000_000L), (first.Issuer, first.JwksUri, first.TimeoutNanos!.Value));
        Assert.Equal(new JwtHeader("x-jwt", ""), Assert.Single(first.FromHeaders));
        Assert.Equal(new ClaimToHeader("x-sub", "sub"), Assert.Single(first.OutputClaimToHeaders));
        Assert.False(first.ForwardOriginalToken);
        Assert.Empty(first.Audiences);
        Assert.Null(first.OutputPayloadToHeader);
        Assert.Equal(("{}", true, null), (second.Jwks, second.ForwardOriginalToken, second.JwksUri));
    }
}
