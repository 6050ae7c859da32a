using System.Text.Json.Nodes;

namespace Mesh.Config.Views;

/// <summary>Istio's <c>StringMatch</c>: one of exact, prefix or regex (RE2). All null is an empty match, which a
/// header or query parameter match reads as "present".</summary>
public sealed record StringMatch(string? Exact, string? Prefix, string? Regex)
{
    internal static StringMatch From(JsonNode? match)
        => new(match.Str("exact"), match.Str("prefix"), match.Str("regex"));
}
