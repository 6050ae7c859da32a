using System.Text.Json.Nodes;
using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Views.DestinationRules;

/// <summary>A validated DestinationRule, read once: the host it targets, its traffic policy and its subsets.</summary>
public sealed record DestinationRuleView
{
    /// <summary>The host as written (a short name, an FQDN or a wildcard).</summary>
    public string Host { get; init; } = "";
    public TrafficPolicy? TrafficPolicy { get; init; }
    public IReadOnlyList<Subset> Subsets { get; init; } = [];

    /// <summary>The host qualified in the rule's namespace, as service grains are keyed.</summary>
    public string QualifiedHost(string @namespace) => HostNames.Qualify(Host, @namespace);

    /// <summary>Reads a spec that passed validation.</summary>
    public static DestinationRuleView From(JsonObject spec) => new()
    {
        Host = spec.Str("host") ?? "",
        TrafficPolicy = TrafficPolicy.From(spec.Obj("trafficPolicy")),
        Subsets = [.. spec.Objects("subsets").Select(Subset.From)],
    };
}

/// <summary>A named group of the host's endpoints (those carrying all of <see cref="Labels"/>), with its own policy.</summary>
public sealed record Subset(string Name, IReadOnlyDictionary<string, string> Labels, TrafficPolicy? TrafficPolicy)
{
    internal static Subset From(JsonObject subset)
        => new(subset.Str("name") ?? "", subset.StringMap("labels"), TrafficPolicy.From(subset.Obj("trafficPolicy")));
}
