using Mesh.Config.Keys;
using Mesh.Config.Kinds;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Xds.Translation.Gateways;

namespace Mesh.Xds.Translation.ApiPolicies;

/// <summary>An ApiPolicy as gateway translation sees it: its key, namespace and view.</summary>
public sealed record ApiPolicyInput(string Key, string Namespace, ApiPolicyView View)
{
    public string Name => ResourceKey.Parse(Key).Name;

    /// <summary>Whether the policy applies to <paramref name="route"/> of <paramref name="gateway"/> served as the
    /// virtual host <paramref name="host"/>: one of its targets (local references, as Gateway API policy attachment
    /// has them) is the gateway or the route, and, when it names hosts, one of them covers the virtual host.</summary>
    public bool AppliesTo(BoundGateway gateway, BoundRoute route, string host) =>
        View.TargetRefs.Any(target => Targets(target, gateway, route)) && (View.Hosts.Count == 0 || View.Hosts.Any(h => Covers(h, host)));

    /// <summary>The policies that apply to a route served as <paramref name="host"/>, least specific first, then by key.</summary>
    public static IReadOnlyList<ApiPolicyInput> Applying(IReadOnlyList<ApiPolicyInput> policies, BoundGateway gateway, BoundRoute route, string host) =>
        policies.Count == 0 ? [] : [.. policies.Where(p => p.AppliesTo(gateway, route, host)).OrderBy(p => p.Specificity(route)).ThenBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>How specific the policy is where it applies: a route's beats a gateway's (Envoy's per-route config
    /// overrides the virtual host's), and a policy that names hosts beats one that does not.</summary>
    public int Specificity(BoundRoute route) =>
        (View.TargetRefs.Any(t => t.Kind != KindNames.Gateway && RouteKey(t) == route.Key) ? 2 : 0) + (View.Hosts.Count > 0 ? 1 : 0);

    private bool Targets(PolicyTargetRef target, BoundGateway gateway, BoundRoute route) => target.Kind == KindNames.Gateway
        ? gateway.Namespace == Namespace && gateway.Name == target.Name
        : RouteKey(target) == route.Key;

    private string RouteKey(PolicyTargetRef target) => ResourceKey.Of(target.Kind, Namespace, target.Name);

    /// <summary>A policy host covers a virtual host it equals, or, as <c>*.example.com</c>, one under it.</summary>
    private static bool Covers(string policyHost, string host) =>
        string.Equals(policyHost, host, StringComparison.OrdinalIgnoreCase)
        || policyHost == "*"
        || policyHost.StartsWith("*.", StringComparison.Ordinal) && host.Length > policyHost.Length - 1
           && host.EndsWith(policyHost[1..], StringComparison.OrdinalIgnoreCase) && !host.StartsWith('*');
}
