using Envoy.Config.Rbac.V3;
using Mesh.Sidecar.Matching;

namespace Mesh.Sidecar.Security.Rbac;

/// <summary>A compiled <c>envoy.config.rbac.v3.RBAC</c>: an action and named policies. A policy matches when one of
/// its permissions and one of its principals match. Policies are tried in ordinal name order, as Envoy keeps them,
/// so the reported policy is the same one Envoy would report.</summary>
internal sealed class PolicySet
{
    private readonly CompiledPolicy[] _policies;

    private PolicySet(RBAC.Types.Action action, CompiledPolicy[] policies)
    {
        Action = action;
        _policies = policies;
    }

    public RBAC.Types.Action Action { get; }

    public static PolicySet Compile(RBAC rbac, string field)
    {
        if (!System.Enum.IsDefined(rbac.Action)) throw new RbacCompileException(null, $"{field}.action", $"{(int)rbac.Action} is not ALLOW, DENY or LOG");
        if (rbac.AuditLoggingOptions is not null)
        {
            throw new RbacCompileException(null, $"{field}.audit_logging_options", "audit loggers are not supported");
        }
        var policies = rbac.Policies
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => CompiledPolicy.Compile(entry.Key, entry.Value, $"{field}.policies[\"{entry.Key}\"]"))
            .ToArray();
        return new PolicySet(rbac.Action, policies);
    }

    /// <summary>Envoy's engine result: whether this policy set lets the request through, and the first matching
    /// policy (the effective policy id), if any.</summary>
    public (bool Allowed, string? PolicyId) Decide(RequestFacts request)
    {
        string? matched = null;
        foreach (var policy in _policies)
        {
            if (policy.Matches(request))
            {
                matched = policy.Name;
                break;
            }
        }
        var allowed = Action switch
        {
            RBAC.Types.Action.Allow => matched is not null,
            RBAC.Types.Action.Deny => matched is null,
            _ => true,
        };
        return (allowed, matched);
    }

    private sealed record CompiledPolicy(string Name, Func<RequestFacts, bool>[] Permissions, Func<RequestFacts, bool>[] Principals)
    {
        public bool Matches(RequestFacts request)
            => Permissions.Any(permission => permission(request)) && Principals.Any(principal => principal(request));

        public static CompiledPolicy Compile(string name, Policy policy, string field)
        {
            try
            {
                if (policy.Condition is not null) throw new MatcherConfigException($"{field}.condition", "CEL conditions are not supported");
                if (policy.CheckedCondition is not null) throw new MatcherConfigException($"{field}.checked_condition", "CEL conditions are not supported");
                if (policy.Permissions.Count == 0) throw new MatcherConfigException($"{field}.permissions", "needs at least one permission");
                if (policy.Principals.Count == 0) throw new MatcherConfigException($"{field}.principals", "needs at least one principal");
                var permissions = policy.Permissions.Select((p, i) => PermissionCompiler.Compile(p, $"{field}.permissions[{i}]")).ToArray();
                var principals = policy.Principals.Select((p, i) => PrincipalCompiler.Compile(p, $"{field}.principals[{i}]")).ToArray();
                return new CompiledPolicy(name, permissions, principals);
            }
            catch (MatcherConfigException exception)
            {
                throw new RbacCompileException(name, exception.Field, exception.Problem);
            }
        }
    }
}
