namespace Mesh.Config.Tests.Validation.Schemas;

/// <summary>AuthorizationPolicy rules, each mirroring Istio's ValidateAuthorizationPolicy (pkg/config/validation) and
/// CheckEmptyValues / ValidateAttribute (pkg/config/security). Every refused row was accepted before issue 10.</summary>
public class AuthorizationPolicySchemaTests
{
    private const string Kind = "AuthorizationPolicy";

    [Theory]
    // Istio: `from.source` must not be empty: an empty list constrains nothing, so these admitted every caller.
    [InlineData("""{"rules": [{"from": [{"source": {"principals": []}}]}]}""", "spec.rules[0].from[0].source", "source must set at least one non-empty field")]
    [InlineData("""{"rules": [{"from": [{"source": {"namespaces": []}}]}]}""", "spec.rules[0].from[0].source", "source must set at least one non-empty field")]
    [InlineData("""{"rules": [{"from": [{"source": {"principals": null}}]}]}""", "spec.rules[0].from[0].source", "source must set at least one non-empty field")]
    [InlineData("""{"rules": [{"from": [{"source": {"ipBlocks": [], "notPrincipals": []}}]}]}""", "spec.rules[0].from[0].source", "source must set at least one non-empty field")]
    // Istio: `to.operation` must not be empty.
    [InlineData("""{"rules": [{"to": [{"operation": {"paths": []}}]}]}""", "spec.rules[0].to[0].operation", "operation must set at least one non-empty field")]
    [InlineData("""{"rules": [{"to": [{"operation": {"methods": null}}]}]}""", "spec.rules[0].to[0].operation", "operation must set at least one non-empty field")]
    // Istio: `from` / `to` must not be empty when present.
    [InlineData("""{"rules": [{"from": []}]}""", "spec.rules[0].from", "must not be empty")]
    [InlineData("""{"rules": [{"to": []}]}""", "spec.rules[0].to", "must not be empty")]
    // Mesh: `when: []` is as empty as `from: []` (it would turn the rule into allow-all).
    [InlineData("""{"rules": [{"when": []}]}""", "spec.rules[0].when", "must not be empty")]
    // Istio CheckEmptyValues: no empty string in any list of a source or an operation.
    [InlineData("""{"rules": [{"from": [{"source": {"principals": [""]}}]}]}""", "spec.rules[0].from[0].source.principals[0]", "empty value not allowed")]
    [InlineData("""{"rules": [{"from": [{"source": {"requestPrincipals": ["a", ""]}}]}]}""", "spec.rules[0].from[0].source.requestPrincipals[1]", "empty value not allowed")]
    [InlineData("""{"rules": [{"from": [{"source": {"notNamespaces": [""]}}]}]}""", "spec.rules[0].from[0].source.notNamespaces[0]", "empty value not allowed")]
    [InlineData("""{"rules": [{"from": [{"source": {"serviceAccounts": [""]}}]}]}""", "spec.rules[0].from[0].source.serviceAccounts[0]", "empty value not allowed")]
    [InlineData("""{"rules": [{"to": [{"operation": {"paths": [""]}}]}]}""", "spec.rules[0].to[0].operation.paths[0]", "empty value not allowed")]
    [InlineData("""{"rules": [{"to": [{"operation": {"methods": [""]}}]}]}""", "spec.rules[0].to[0].operation.methods[0]", "empty value not allowed")]
    [InlineData("""{"rules": [{"to": [{"operation": {"notHosts": [""]}}]}]}""", "spec.rules[0].to[0].operation.notHosts[0]", "empty value not allowed")]
    // Istio: serviceAccounts cannot be set with namespaces or principals.
    [InlineData("""{"rules": [{"from": [{"source": {"serviceAccounts": ["a/b"], "namespaces": ["a"]}}]}]}""", "spec.rules[0].from[0].source", "serviceAccounts cannot be used together")]
    [InlineData("""{"rules": [{"from": [{"source": {"notServiceAccounts": ["a/b"], "notPrincipals": ["x"]}}]}]}""", "spec.rules[0].from[0].source", "serviceAccounts cannot be used together")]
    // Istio ValidateAttribute: condition values are non-empty strings; address keys take IPs or CIDRs, destination.port ports.
    [InlineData("""{"rules": [{"when": [{"key": "request.headers[x-user]", "values": [""]}]}]}""", "spec.rules[0].when[0].values[0]", "empty value not allowed")]
    [InlineData("""{"rules": [{"when": [{"key": "source.ip", "notValues": ["10.0.0.300"]}]}]}""", "spec.rules[0].when[0].notValues[0]", "is not an IP address or CIDR block")]
    [InlineData("""{"rules": [{"when": [{"key": "destination.port", "values": ["http"]}]}]}""", "spec.rules[0].when[0].values[0]", "is not a port number")]
    // Istio validateMapKey: a[b] with a non-empty b; Mesh also requires the header name to be a valid one.
    [InlineData("""{"rules": [{"when": [{"key": "request.headers[]", "values": ["a"]}]}]}""", "spec.rules[0].when[0].key", "needs a name in brackets")]
    [InlineData("""{"rules": [{"when": [{"key": "request.auth.claims[]", "values": ["a"]}]}]}""", "spec.rules[0].when[0].key", "needs a name in brackets")]
    [InlineData("""{"rules": [{"when": [{"key": "request.headers[x user]", "values": ["a"]}]}]}""", "spec.rules[0].when[0].key", "is not a valid HTTP header name")]
    // Istio: DENY and CUSTOM without rules never trigger and are refused (rules: [] is no rules too).
    [InlineData("""{"action": "DENY"}""", "spec.rules", "DENY action without rules is meaningless")]
    [InlineData("""{"action": "DENY", "rules": []}""", "spec.rules", "DENY action without rules is meaningless")]
    [InlineData("""{"action": "CUSTOM", "provider": {"name": "ext-authz"}}""", "spec.rules", "CUSTOM action without rules is meaningless")]
    public void Refused(string spec, string path, string reason) => Specs.AssertRefused(Kind, spec, path, reason);

    [Theory]
    // Istio: an ALLOW with an empty rule allows every request (intended), one without rules allows none.
    [InlineData("""{"rules": [{}]}""")]
    [InlineData("""{}""")]
    [InlineData("""{"action": "ALLOW", "rules": []}""")]
    // Istio refuses neither an AUDIT without rules nor a DENY with an empty rule (deny everything).
    [InlineData("""{"action": "AUDIT"}""")]
    [InlineData("""{"action": "DENY", "rules": [{}]}""")]
    // An empty list beside a non-empty one is no constraint, as in Istio: the source still names something.
    [InlineData("""{"rules": [{"from": [{"source": {"principals": [], "namespaces": ["prod"]}}]}]}""")]
    [InlineData("""{"rules": [{"from": [{"source": {"serviceAccounts": ["prod/api"], "requestPrincipals": ["*"]}}], "to": [{"operation": {"ports": ["8080"]}}]}]}""")]
    [InlineData("""{"rules": [{"when": [{"key": "request.auth.claims[groups][admin]", "values": ["yes"]}, {"key": "remote.ip", "values": ["10.0.0.0/8"]}]}]}""")]
    public void Accepted(string spec) => Specs.AssertValid(Kind, spec);
}
