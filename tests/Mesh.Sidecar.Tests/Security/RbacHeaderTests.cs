using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Security;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>Envoy's HeaderMatcher rules, in an RBAC header permission, against <see cref="TestRequests"/> (which has
/// x-user: alice, x-number: 42, x-multi: a and b, and no x-none).</summary>
public sealed class RbacHeaderTests
{
    [Theory]
    [InlineData("""{"name": "x-user", "string_match": {"exact": "alice"}}""", true)]
    [InlineData("""{"name": "x-user", "string_match": {"exact": "ALICE", "ignore_case": true}}""", true)]
    [InlineData("""{"name": "x-user", "string_match": {"exact": "ALICE"}}""", false)]
    [InlineData("""{"name": "x-user", "exact_match": "alice"}""", true)]
    [InlineData("""{"name": "x-user", "exact_match": ""}""", true)]
    [InlineData("""{"name": "x-user", "prefix_match": "ali"}""", true)]
    [InlineData("""{"name": "x-user", "suffix_match": "ice"}""", true)]
    [InlineData("""{"name": "x-user", "contains_match": "lic"}""", true)]
    [InlineData("""{"name": "x-user", "safe_regex_match": {"regex": "a.i.e"}}""", true)]
    [InlineData("""{"name": "x-user", "safe_regex_match": {"regex": "lic"}}""", false)]
    [InlineData("""{"name": "x-user", "string_match": {"safe_regex": {"regex": "A.*", "google_re2": {}}}}""", false)]
    [InlineData("""{"name": "x-user"}""", true)]
    [InlineData("""{"name": "x-user", "present_match": true}""", true)]
    [InlineData("""{"name": "x-user", "present_match": false}""", false)]
    [InlineData("""{"name": "x-user", "string_match": {"exact": "alice"}, "invert_match": true}""", false)]
    [InlineData("""{"name": "x-number", "range_match": {"start": 40, "end": 50}}""", true)]
    [InlineData("""{"name": "x-number", "range_match": {"start": 0, "end": 42}}""", false)]
    [InlineData("""{"name": "x-user", "range_match": {"start": 0, "end": 100}}""", false)]
    [InlineData("""{"name": "x-multi", "string_match": {"exact": "a,b"}}""", true)]
    [InlineData("""{"name": "x-none", "present_match": false}""", true)]
    [InlineData("""{"name": "x-none", "present_match": true, "invert_match": true}""", true)]
    [InlineData("""{"name": "x-none", "string_match": {"exact": "a"}, "invert_match": true}""", false)]
    [InlineData("""{"name": "x-none", "string_match": {"exact": ""}}""", false)]
    [InlineData("""{"name": "x-none", "string_match": {"exact": ""}, "treat_missing_header_as_empty": true}""", true)]
    [InlineData("""{"name": "x-none", "string_match": {"exact": "a"}, "invert_match": true, "treat_missing_header_as_empty": true}""", true)]
    [InlineData("""{"name": "host", "present_match": true}""", false)]
    [InlineData("""{"name": ":authority", "string_match": {"suffix": ".example.com"}}""", true)]
    [InlineData("""{"name": ":scheme", "string_match": {"exact": "https"}}""", true)]
    public void A_header_matcher_follows_Envoys_rules(string header, bool matches)
    {
        var engine = RbacEngine.Compile([Rbac.Filter(RBAC.Types.Action.Allow, permission: $$"""{"header": {{header}}}""")]);

        Assert.Equal(matches, engine.Evaluate(TestRequests.Facts()).Allowed);
    }
}
