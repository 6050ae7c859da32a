using System.Text.Json.Nodes;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>HTTPMatchRequest</c> → Envoy <c>RouteMatch</c> (gRFC A28: path, headers, query parameters).</summary>
internal static class MatchTranslator
{
    /// <summary>The catch-all match: every gRPC method path starts with "/".</summary>
    public static RouteMatch CatchAll() => new() { Prefix = "/" };

    public static RouteMatch Translate(JsonObject match)
    {
        var result = new RouteMatch();
        var uri = match.Obj("uri");
        if (uri?.Str("exact") is { } exact) result.Path = exact;
        else if (uri?.Str("prefix") is { } prefix) result.Prefix = prefix;
        else if (uri?.Str("regex") is { } regex) result.SafeRegex = Regex(regex);
        else result.Prefix = "/";
        if (match.Bool("ignoreUriCase") == true) result.CaseSensitive = false;

        foreach (var (name, value) in match.SortedEntries("headers"))
        {
            result.Headers.Add(Header(name, value as JsonObject, invert: false));
        }
        foreach (var (name, value) in match.SortedEntries("withoutHeaders"))
        {
            result.Headers.Add(Header(name, value as JsonObject, invert: true));
        }
        // Pseudo-headers, as Istio matches method, authority and scheme. gRPC clients match them too (A28).
        if (match.Obj("method") is { } method) result.Headers.Add(Header(":method", method, invert: false));
        if (match.Obj("authority") is { } authority) result.Headers.Add(Header(":authority", authority, invert: false));
        if (match.Obj("scheme") is { } scheme) result.Headers.Add(Header(":scheme", scheme, invert: false));

        // gRPC has no query string: a client never matches a route that has query parameters (A28), as intended.
        foreach (var (name, value) in match.SortedEntries("queryParams"))
        {
            var parameter = new QueryParameterMatcher { Name = name };
            if (StringMatch(value as JsonObject) is { } matcher) parameter.StringMatch = matcher;
            else parameter.PresentMatch = true;
            result.QueryParameters.Add(parameter);
        }
        return result;
    }

    /// <summary>An empty match means "present"; inverted, "absent" (Istio's withoutHeaders). The header
    /// matchers use the older exact/prefix/safe_regex fields, not string_match: gRPC C-core 1.51 NACKs a route
    /// with string_match ("Invalid route header matcher specified"), and grpc-js reads both.</summary>
    private static HeaderMatcher Header(string name, JsonObject? value, bool invert)
    {
        var header = new HeaderMatcher { Name = name, InvertMatch = invert };
#pragma warning disable CS0612, CS0618 // deprecated in Envoy, but the only form every gRPC client reads
        if (value.Str("exact") is { } exact) header.ExactMatch = exact;
        else if (value.Str("prefix") is { } prefix) header.PrefixMatch = prefix;
        else if (value.Str("regex") is { } regex) header.SafeRegexMatch = Regex(regex);
        else header.PresentMatch = true;
#pragma warning restore CS0612, CS0618
        return header;
    }

    public static StringMatcher? StringMatch(JsonObject? value)
    {
        if (value.Str("exact") is { } exact) return new StringMatcher { Exact = exact };
        if (value.Str("prefix") is { } prefix) return new StringMatcher { Prefix = prefix };
        if (value.Str("regex") is { } regex) return new StringMatcher { SafeRegex = Regex(regex) };
        return null;
    }

    /// <summary>RE2 is the only engine (google_re2 is deprecated and implied); gRPC clients read only the regex.</summary>
    private static RegexMatcher Regex(string regex) => new() { Regex = regex };
}
