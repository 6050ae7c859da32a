using Mesh.Config.Views.Security;
using Mesh.Xds.Resources;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Grains.Services;
using EnvoyAction = Envoy.Config.Rbac.V3.RBAC.Types.Action;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;
using RbacRules = Envoy.Config.Rbac.V3.RBAC;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio AuthorizationPolicies → Envoy RBAC HTTP filters, one per action, in Istio's order: AUDIT (a LOG filter,
/// first so that it sees the requests the others deny), then DENY, then ALLOW. Without DENY policies there is no DENY
/// filter; without ALLOW policies no ALLOW filter, so that everything not denied is allowed; with ALLOW policies, a
/// request none of them matches is denied. Each Istio rule becomes one Envoy policy named as Istio names it.</summary>
internal static class AuthorizationPolicyTranslator
{
    private static readonly (string Istio, EnvoyAction Envoy)[] FilterOrder =
        [(AuthorizationPolicyView.Audit, EnvoyAction.Log), (AuthorizationPolicyView.Deny, EnvoyAction.Deny), (AuthorizationPolicyView.Allow, EnvoyAction.Allow)];

    public static AuthorizationFilters Translate(IEnumerable<ConfigSpec> policies, string trustDomain)
    {
        var warnings = new List<string>();
        var read = policies.OrderBy(p => p.Key, StringComparer.Ordinal).Select(SecurityPolicy.Authorization).ToList();
        var byAction = read.ToLookup(p => p.View.Action == AuthorizationPolicyView.Custom ? AuthorizationPolicyView.Deny : p.View.Action);
        // Mesh has no ext_authz. As Istio does when a CUSTOM provider cannot be used, what the policy matches is
        // denied (fail closed), loudly.
        warnings.AddRange(read.Where(p => p.View.Action == AuthorizationPolicyView.Custom).Select(
            p => $"{Describe(p)}: action CUSTOM (external authorization) is not supported; the requests it matches are denied"));
        var filters = FilterOrder
            .Where(action => byAction[action.Istio].Any())
            .Select(action => Filter(action.Envoy, byAction[action.Istio], trustDomain, warnings))
            .ToList();
        return new AuthorizationFilters(filters, warnings);
    }

    private static HttpFilter Filter(EnvoyAction action, IEnumerable<SecurityPolicy<AuthorizationPolicyView>> policies, string trustDomain, List<string> warnings)
    {
        var rules = new RbacRules { Action = action };
        foreach (var policy in policies)
        {
            var istioRules = policy.View.Rules;
            if (istioRules.Count == 0) rules.Policies.Add(PolicyName(policy, 0), RuleTranslator.MatchNothing());
            for (var index = 0; index < istioRules.Count; index++)
            {
                var context = new RuleContext(policy.Namespace, trustDomain);
                var translated = RuleTranslator.Translate(istioRules[index], context);
                if (context.Problems.Count > 0) warnings.Add(Warning(policy, index, action, context.Problems));
                // An ALLOW rule missing a constraint would allow more than written: it goes. DENY and AUDIT rules lose
                // constraints only in ways that make them match more (RbacAlgebra.Field), so they stay.
                if (context.Problems.Count == 0 || action != EnvoyAction.Allow) rules.Policies.Add(PolicyName(policy, index), translated);
            }
        }
        return new HttpFilter { Name = EnvoyFilters.Rbac, TypedConfig = Any.Pack(new HttpRbac { Rules = rules }) };
    }

    /// <summary>Istio's policy name, which shows up in Envoy's stats and access logs.</summary>
    private static string PolicyName(SecurityPolicy<AuthorizationPolicyView> policy, int rule) => $"ns[{policy.Namespace}]-policy[{policy.Name}]-rule[{rule}]";

    private static string Warning(SecurityPolicy<AuthorizationPolicyView> policy, int rule, EnvoyAction action, IEnumerable<string> problems)
    {
        var outcome = action == EnvoyAction.Allow
            ? "the rule is skipped, so it allows nothing"
            : "the rule is kept without them, so it matches more requests";
        return $"{Describe(policy)} rule[{rule}]: {string.Join("; ", problems)}; {outcome}";
    }

    private static string Describe(SecurityPolicy<AuthorizationPolicyView> policy) => $"AuthorizationPolicy {policy.Namespace}/{policy.Name}";
}
