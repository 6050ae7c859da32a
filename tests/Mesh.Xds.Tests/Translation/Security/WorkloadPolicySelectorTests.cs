using Mesh.Grains.Services;
using Mesh.Xds.Translation.Security;
using static Mesh.Xds.Tests.Translation.Security.SecuritySpecs;

namespace Mesh.Xds.Tests.Translation.Security;

public sealed class WorkloadPolicySelectorTests
{
    private static readonly Dictionary<string, string> Httpbin = new() { ["app"] = "httpbin", ["version"] = "v1" };

    private static IReadOnlyList<string> Selected(string workloadNamespace, params ConfigSpec[] all)
        => WorkloadPolicySelector.Select(all, workloadNamespace, Httpbin, Root).Select(c => c.Key).ToList();

    [Fact]
    public void A_root_namespace_policy_without_selector_applies_to_workloads_in_every_namespace()
    {
        var meshWide = Authorization("deny-all", "{}", Root);

        Assert.Equal([meshWide.Key], Selected("foo", meshWide));
        Assert.Equal([meshWide.Key], Selected("bar", meshWide));
    }

    [Fact]
    public void A_root_namespace_policy_with_a_selector_applies_to_the_workloads_it_selects_in_every_namespace()
    {
        // Istio: "If the authorization policy is in the root namespace, the selector will additionally match with
        // workloads in all namespaces."
        var policy = Authorization("httpbin", """{"selector": {"matchLabels": {"app": "httpbin"}}}""", Root);
        var other = Authorization("other", """{"selector": {"matchLabels": {"app": "other"}}}""", Root);

        Assert.Equal([policy.Key], Selected("foo", policy, other));
        Assert.Equal([policy.Key], Selected(Root, policy, other));
    }

    [Fact]
    public void A_namespace_policy_without_selector_applies_to_every_workload_of_its_namespace_only()
    {
        var policy = Authorization("all", """{"action": "DENY"}""");

        Assert.Equal([policy.Key], Selected("foo", policy));
        Assert.Empty(Selected("bar", policy));
    }

    [Theory]
    [InlineData("""{"app": "httpbin"}""", true)]
    [InlineData("""{"app": "httpbin", "version": "v1"}""", true)]
    [InlineData("""{}""", true)]
    [InlineData("""{"app": "httpbin", "version": "v2"}""", false)]
    [InlineData("""{"tier": "web"}""", false)]
    public void A_selector_matches_when_all_its_labels_are_among_the_workload_labels(string matchLabels, bool applies)
    {
        var policy = Authentication("jwt", $$$"""{"selector": {"matchLabels": {{{matchLabels}}}}}""");

        Assert.Equal(applies, Selected("foo", policy).Count == 1);
    }

    [Theory]
    [InlineData("""{"targetRef": {"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": "waypoint"}}""")]
    [InlineData("""{"targetRefs": [{"kind": "Service", "group": "", "name": "httpbin"}]}""")]
    public void Policies_attached_with_targetRef_are_for_gateways_and_waypoints_not_sidecars(string spec)
    {
        Assert.Empty(Selected("foo", Authorization("waypoint", spec), Authorization("mesh", spec, Root)));
    }

    [Fact]
    public void A_PeerAuthentication_with_a_selector_in_the_root_namespace_is_ignored_as_Istio_does()
    {
        var policy = Peer("strict", """{"selector": {"matchLabels": {"app": "httpbin"}}, "mtls": {"mode": "STRICT"}}""", Root);

        Assert.Empty(Selected(Root, policy));
    }

    [Fact]
    public void Other_kinds_are_left_out_and_the_result_is_ordered_by_key_without_duplicates()
    {
        var b = Authorization("b", "{}");
        var a = Authorization("a", "{}");
        var jwt = Authentication("a", "{}");
        var route = new ConfigSpec("VirtualService/foo/httpbin", "foo", "{}");

        Assert.Equal([a.Key, b.Key, jwt.Key], Selected("foo", b, route, jwt, a, b));
    }
}
