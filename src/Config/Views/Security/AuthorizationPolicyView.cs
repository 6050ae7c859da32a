using System.Text.Json.Nodes;

namespace Mesh.Config.Views.Security;

/// <summary>A validated AuthorizationPolicy, read once: the workloads it applies to, its action (ALLOW when not set,
/// as in Istio) and its rules. No rules at all matches nothing.</summary>
public sealed record AuthorizationPolicyView(WorkloadSelection Selection, string Action, IReadOnlyList<AuthorizationRule> Rules)
{
    public const string Allow = "ALLOW";
    public const string Deny = "DENY";
    public const string Audit = "AUDIT";
    public const string Custom = "CUSTOM";

    /// <summary>Reads a spec that passed validation.</summary>
    public static AuthorizationPolicyView From(JsonObject spec)
        => new(WorkloadSelection.From(spec), spec.Str("action") ?? Allow, [.. spec.Objects("rules").Select(AuthorizationRule.From)]);
}

/// <summary>Istio's <c>Rule</c>: who (any of the sources, <c>from</c>), does what (any of the operations, <c>to</c>),
/// when (all of the conditions, <c>when</c>); an empty list constrains nothing.</summary>
public sealed record AuthorizationRule(IReadOnlyList<RuleSource> Sources, IReadOnlyList<RuleOperation> Operations, IReadOnlyList<RuleCondition> Conditions)
{
    public static AuthorizationRule From(JsonObject rule) => new(
        [.. rule.Objects("from").Select(f => RuleSource.From(f.Obj("source") ?? []))],
        [.. rule.Objects("to").Select(t => RuleOperation.From(t.Obj("operation") ?? []))],
        [.. rule.Objects("when").Select(RuleCondition.From)]);
}

/// <summary>Istio's <c>Condition</c>: an attribute key and the values it must (or must not) have.</summary>
public sealed record RuleCondition(string Key, IReadOnlyList<string> Values, IReadOnlyList<string> NotValues)
{
    public static RuleCondition From(JsonObject condition)
        => new(condition.Str("key") ?? "", condition.Strings("values"), condition.Strings("notValues"));
}
