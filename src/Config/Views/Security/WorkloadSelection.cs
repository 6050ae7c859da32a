using System.Text.Json.Nodes;

namespace Mesh.Config.Views.Security;

/// <summary>Which workloads a policy names: the <c>matchLabels</c> of a security policy's selector (a Sidecar's
/// <c>workloadSelector.labels</c>, a Gateway's <c>selector</c>; null without a selector, empty when the selector lists
/// none), or a <c>targetRef(s)</c> to a Gateway or waypoint instead.</summary>
public sealed record WorkloadSelection(IReadOnlyDictionary<string, string>? MatchLabels, bool ByTargetRef)
{
    public bool HasSelector => MatchLabels is not null;

    /// <summary>Like Istio's WorkloadSelector: every listed label carries the same value; no labels select everything.</summary>
    public bool Selects(IReadOnlyDictionary<string, string> labels)
        => MatchLabels is null || MatchLabels.All(e => labels.TryGetValue(e.Key, out var actual) && actual == e.Value);

    internal static WorkloadSelection From(JsonObject spec) => new(
        spec.Obj("selector") is { } selector ? selector.StringMap("matchLabels") : null,
        spec.Has("targetRef") || spec.Has("targetRefs"));
}
