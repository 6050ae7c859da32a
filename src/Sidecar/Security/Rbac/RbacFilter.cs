using Envoy.Config.Rbac.V3;

namespace Mesh.Sidecar.Security.Rbac;

/// <summary>One compiled <c>envoy.filters.http.rbac</c> filter: its enforced rules (absent: enforces nothing) and its
/// shadow rules (only reported).</summary>
internal sealed class RbacFilter(int index, PolicySet? rules, PolicySet? shadow)
{
    public static RbacFilter Compile(Envoy.Extensions.Filters.Http.Rbac.V3.RBAC config, int index)
    {
        var field = $"rbac[{index}]";
        if (config.Matcher is not null) throw new RbacCompileException(null, $"{field}.matcher", "the matcher API is not supported; use rules");
        if (config.ShadowMatcher is not null) throw new RbacCompileException(null, $"{field}.shadow_matcher", "the matcher API is not supported; use shadow_rules");
        var rules = config.Rules is null ? null : PolicySet.Compile(config.Rules, $"{field}.rules");
        var shadow = config.ShadowRules is null ? null : PolicySet.Compile(config.ShadowRules, $"{field}.shadow_rules");
        return new RbacFilter(index, rules, shadow);
    }

    /// <summary>Runs the filter. Returns the denial, or null to continue the chain; reports go to
    /// <paramref name="reports"/>, created on first use.</summary>
    public RbacDecision? Evaluate(RequestFacts request, ref List<RbacReport>? reports)
    {
        if (shadow is not null)
        {
            var (allowed, policy) = shadow.Decide(request);
            (reports ??= []).Add(new RbacReport(index, RbacReportKind.Shadow, allowed, policy));
        }
        if (rules is null) return null;
        var (permitted, matched) = rules.Decide(request);
        if (rules.Action == RBAC.Types.Action.Log && matched is not null)
        {
            (reports ??= []).Add(new RbacReport(index, RbacReportKind.Log, true, matched));
        }
        return permitted ? null : new RbacDecision(false, index, matched, (IReadOnlyList<RbacReport>?)reports ?? []);
    }
}
