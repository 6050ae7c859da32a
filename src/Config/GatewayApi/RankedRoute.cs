using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.GatewayApi;

/// <summary>A converted route of one match, with the Gateway API's precedence (HTTPRoute and GRPCRoute
/// <c>rules</c>): what the match says first, then the older route, then <c>namespace/name</c>, then rule and match order.</summary>
public sealed record RankedRoute(HttpRoute Route, MatchRank Rank, GatewayApiObject Source, int Rule, int Match)
{
    public static IComparer<RankedRoute> Precedence { get; } = Comparer<RankedRoute>.Create((a, b) =>
    {
        var byMatch = a.Rank.CompareTo(b.Rank);
        if (byMatch != 0) return byMatch;
        var byAge = a.Source.CreatedAt.CompareTo(b.Source.CreatedAt);
        if (byAge != 0) return byAge;
        var byName = string.CompareOrdinal($"{a.Source.Namespace}/{a.Source.Name}", $"{b.Source.Namespace}/{b.Source.Name}");
        return byName != 0 ? byName : a.Rule != b.Rule ? a.Rule.CompareTo(b.Rule) : a.Match.CompareTo(b.Match);
    });
}

/// <summary>How specific a match is, most specific first when sorted. HTTP: an Exact path, then a regular expression
/// (implementation-specific: Mesh puts it before prefixes, as Istio does), then the longest prefix; then a method;
/// then the most header matches; then the most query parameter matches. gRPC: the longest service, then the longest
/// method, then the most header matches.</summary>
public readonly record struct MatchRank(int PathKind, int Length, int Method, int Headers, int QueryParams) : IComparable<MatchRank>
{
    public int CompareTo(MatchRank other)
    {
        if (PathKind != other.PathKind) return PathKind.CompareTo(other.PathKind);
        if (Length != other.Length) return other.Length.CompareTo(Length);
        if (Method != other.Method) return other.Method.CompareTo(Method);
        if (Headers != other.Headers) return other.Headers.CompareTo(Headers);
        return other.QueryParams.CompareTo(QueryParams);
    }
}
