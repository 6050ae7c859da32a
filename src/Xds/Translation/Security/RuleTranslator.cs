using Envoy.Config.Rbac.V3;
using Mesh.Config.Views.Security;

namespace Mesh.Xds.Translation.Security;

/// <summary>One Istio rule → one Envoy policy. The sources are OR'd, the operations are OR'd, and sources, operations
/// and conditions are AND'd: each source (or operation) alternative carries the conditions of its side.</summary>
internal static class RuleTranslator
{
    /// <summary>What a policy without rules becomes: a policy that matches nothing, so that an ALLOW policy without
    /// rules allows nothing, and a DENY or AUDIT one denies or audits nothing.</summary>
    public static Policy MatchNothing() => new()
    {
        Permissions = { Rbac.Permissions.Not(Rbac.Permissions.Any()) },
        Principals = { Rbac.Principals.Not(Rbac.Principals.Any()) },
    };

    /// <summary>Values that have no Envoy form land in <paramref name="context"/>'s problems; the caller decides what the
    /// policy is then worth.</summary>
    public static Policy Translate(AuthorizationRule rule, RuleContext context)
    {
        var conditions = ConditionTranslator.Translate(rule.Conditions, context);
        var sources = rule.Sources;
        var operations = rule.Operations;

        var policy = new Policy();
        if (sources.Count == 0) policy.Principals.Add(Rbac.Principals.And(conditions.Principals));
        foreach (var source in sources)
        {
            policy.Principals.Add(Rbac.Principals.And([.. SourceTranslator.Translate(source, context), .. conditions.Principals]));
        }
        if (operations.Count == 0) policy.Permissions.Add(Rbac.Permissions.And(conditions.Permissions));
        foreach (var operation in operations)
        {
            policy.Permissions.Add(Rbac.Permissions.And([.. OperationTranslator.Translate(operation, context), .. conditions.Permissions]));
        }
        return policy;
    }
}
