using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Mesh.Config.Views;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>HTTPMatchRequest</c> → Envoy <c>RouteMatch</c> (gRFC A28: path, headers, query parameters).</summary>
internal static class MatchTranslator
{
    /// <summary>The catch-all match: every gRPC method path starts with "/".</summary>
    public static RouteMatch CatchAll() => new() { Prefix = "/" };

    public static RouteMatch Translate(HttpMatchRequest match)
    {
        var result = new RouteMatch();
        var uri = match.Uri;
        if (uri?.Exact is { } exact) result.Path = exact;
        else if (uri?.Prefix is { } prefix) result.Prefix = prefix;
        else if (uri?.Regex is { } regex) result.SafeRegex = Regex(regex);
        else result.Prefix = "/";
        if (match.IgnoreUriCase) result.CaseSensitive = false;

        foreach (var (name, value) in match.Headers)
        {
            result.Headers.Add(Header(name, value, invert: false));
        }
        foreach (var (name, value) in match.WithoutHeaders)
        {
            result.Headers.Add(Header(name, value, invert: true));
        }
        // Pseudo-headers, as Istio matches method, authority and scheme. gRPC clients match them too (A28).
        if (match.Method is { } method) result.Headers.Add(Header(":method", method, invert: false));
        if (match.Authority is { } authority) result.Headers.Add(Header(":authority", authority, invert: false));
        if (match.Scheme is { } scheme) result.Headers.Add(Header(":scheme", scheme, invert: false));

        // gRPC has no query string: a client never matches a route that has query parameters (A28), as intended.
        foreach (var (name, value) in match.QueryParams)
        {
            var parameter = new QueryParameterMatcher { Name = name };
            if (StringMatch(value) is { } matcher) parameter.StringMatch = matcher;
            else parameter.PresentMatch = true;
            result.QueryParameters.Add(parameter);
        }
        return result;
    }

    /// <summary>An empty match, or an empty prefix, means "present" (Istio's catch-all); inverted, "absent" (Istio's
    /// withoutHeaders). The header matchers use the older exact/prefix/safe_regex fields, not string_match: gRPC
    /// C-core 1.51 NACKs a route with string_match ("Invalid route header matcher specified"), and grpc-js reads both.
    /// In those older fields an empty exact value matches any value and an empty prefix is refused, so Istio's
    /// <c>exact: ""</c> (the value is empty) is sent as the regex <c>^$</c>.</summary>
    private static HeaderMatcher Header(string name, StringMatch value, bool invert)
    {
        var header = new HeaderMatcher { Name = name, InvertMatch = invert };
#pragma warning disable CS0612, CS0618 // deprecated in Envoy, but the only form every gRPC client reads
        if (value.Exact is "") header.SafeRegexMatch = Regex("^$");
        else if (value.Exact is { } exact) header.ExactMatch = exact;
        else if (value.Prefix is { Length: > 0 } prefix) header.PrefixMatch = prefix;
        else if (value.Regex is { } regex) header.SafeRegexMatch = Regex(regex);
        else header.PresentMatch = true;
#pragma warning restore CS0612, CS0618
        return header;
    }

    public static StringMatcher? StringMatch(StringMatch value)
    {
        if (value.Exact is { } exact) return new StringMatcher { Exact = exact };
        if (value.Prefix is { Length: > 0 } prefix) return new StringMatcher { Prefix = prefix };
        if (value.Regex is { } regex) return new StringMatcher { SafeRegex = Regex(regex) };
        return null;
    }

    /// <summary>RE2 is the only engine (google_re2 is deprecated and implied); gRPC clients read only the regex.</summary>
    private static RegexMatcher Regex(string regex) => new() { Regex = regex };
}
