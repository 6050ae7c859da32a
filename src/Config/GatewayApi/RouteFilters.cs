using System.Text.Json.Nodes;
using Mesh.Config.Views;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.GatewayApi;

/// <summary>Gateway API filters as the Istio route's actions: header modifiers, redirect, rewrite, mirror, CORS.</summary>
public static class RouteFilters
{
    /// <summary>The request and response header modifiers of a list of filters.</summary>
    public static RouteHeaders Headers(IEnumerable<JsonObject> filters)
    {
        var list = filters.ToList();
        return new RouteHeaders(
            Operations(list.FirstOrDefault(f => f.Str("type") == "RequestHeaderModifier").Obj("requestHeaderModifier")),
            Operations(list.FirstOrDefault(f => f.Str("type") == "ResponseHeaderModifier").Obj("responseHeaderModifier")));
    }

    private static HeaderOperations Operations(JsonObject? modifier)
        => modifier is null ? HeaderOperations.None : new(Pairs(modifier, "set"), Pairs(modifier, "add"), modifier.Strings("remove"));

    private static SortedDictionary<string, string> Pairs(JsonObject modifier, string field)
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in modifier.Objects(field)) pairs.TryAdd((pair.Str("name") ?? "").ToLowerInvariant(), pair.Str("value") ?? "");
        return pairs;
    }

    /// <summary><c>RequestRedirect</c>: the Gateway API's default code is 302; with a scheme and no port the port is the
    /// scheme's well-known one, else the request's (Istio's derivePort).</summary>
    public static HttpRedirect Redirect(JsonObject redirect, string? prefixBranchPath)
    {
        var path = redirect.Obj("path");
        var uri = path.Str("type") switch
        {
            "ReplaceFullPath" => path.Str("replaceFullPath"),
            "ReplacePrefixMatch" => prefixBranchPath,
            _ => null,
        };
        var port = (int?)redirect.Long("port");
        var derive = port is not null ? null : redirect.Str("scheme") is not null ? "FROM_PROTOCOL_DEFAULT" : "FROM_REQUEST_PORT";
        return new HttpRedirect(uri, redirect.Str("hostname"), port, derive, redirect.Str("scheme"), (int)(redirect.Long("statusCode") ?? 302));
    }

    /// <summary><c>URLRewrite</c>: a full path becomes a regex rewrite of the whole path; a prefix replacement is the
    /// Istio prefix rewrite of the branch that matched (<paramref name="replacement"/>).</summary>
    public static HttpRewrite Rewrite(JsonObject rewrite, string? replacement)
    {
        var path = rewrite.Obj("path");
        return path.Str("type") == "ReplaceFullPath"
            ? new HttpRewrite(null, new RegexRewrite("^/.*$", path.Str("replaceFullPath") ?? "/"), rewrite.Str("hostname"))
            : new HttpRewrite(replacement, null, rewrite.Str("hostname"));
    }

    public static HttpMirrorPolicy? Mirror(JsonObject mirror, RouteBackends backends)
    {
        if (backends.Resolve(mirror.Obj("backendRef")) is not { } destination) return null;
        double? percent = mirror.Long("percent") is { } p ? p
            : mirror.Obj("fraction") is { } f ? 100.0 * (f.Long("numerator") ?? 0) / (f.Long("denominator") ?? 100) : null;
        return new HttpMirrorPolicy(destination, percent);
    }

    /// <summary><c>CORS</c>: origins match exactly, <c>*</c> and <c>*.</c> host wildcards as regexes; maxAge defaults to 5 s.</summary>
    public static CorsPolicy Cors(JsonObject cors) => new()
    {
        AllowOrigins = [.. cors.Strings("allowOrigins").Select(Origin)],
        AllowMethods = cors.Strings("allowMethods"),
        AllowHeaders = cors.Strings("allowHeaders"),
        ExposeHeaders = cors.Strings("exposeHeaders"),
        AllowCredentials = cors.Bool("allowCredentials"),
        MaxAgeNanos = (cors.Long("maxAge") ?? 5) * 1_000_000_000,
    };

    private static StringMatch Origin(string origin) => origin == "*" ? new StringMatch(null, null, ".*")
        : origin.Contains('*')
        ? new StringMatch(null, null, "^" + string.Join("[^/]*", origin.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$")
        : new StringMatch(origin, null, null);
}
