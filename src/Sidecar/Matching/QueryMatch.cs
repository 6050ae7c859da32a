using Envoy.Config.Route.V3;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Matching;

/// <summary>A compiled Envoy <c>QueryParameterMatcher</c>. As in Envoy, only the first value of a repeated parameter
/// counts, and <c>present_match</c> (or no specifier) asks only that the parameter is there.</summary>
public sealed class QueryMatch
{
    private QueryMatch(string name, StringMatch? value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    /// <summary>The value condition; null for a presence check.</summary>
    public StringMatch? Value { get; }

    internal static QueryMatch Compile(QueryParameterMatcher matcher, string field)
    {
        if (matcher.Name.Length == 0) throw new MatcherConfigException($"{field}.name", "must not be empty");
        return matcher.QueryParameterMatchSpecifierCase == QueryParameterMatcher.QueryParameterMatchSpecifierOneofCase.StringMatch
            ? new QueryMatch(matcher.Name, StringMatch.Compile(matcher.StringMatch, $"{field}.string_match"))
            : new QueryMatch(matcher.Name, null);
    }

    public bool Matches(IQueryCollection query)
    {
        if (!query.TryGetValue(Name, out var values) || values.Count == 0) return false;
        return Value is null || Value.Matches(values[0] ?? "");
    }
}
