using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;
using static Mesh.Config.Validation.Schemas.GatewayApiCommon;

namespace Mesh.Config.Validation.Schemas;

/// <summary>The Gateway API's route filters: each <c>type</c> with the one companion field it requires and no other.</summary>
internal static class GatewayApiFilterSchema
{
    /// <summary>Each filter type and the field that carries it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Companions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RequestHeaderModifier"] = "requestHeaderModifier",
        ["ResponseHeaderModifier"] = "responseHeaderModifier",
        ["RequestMirror"] = "requestMirror",
        ["RequestRedirect"] = "requestRedirect",
        ["URLRewrite"] = "urlRewrite",
        ["CORS"] = "cors",
        ["ExtensionRef"] = "extensionRef",
    };

    private static readonly ObjectSchema HeaderValue = Obj(
            ("name", HeaderName), ("value", Matching(v => Length(v, 1, 4096) ?? Http.HeaderValue(v))))
        .Require("name", "value");

    private static ListSchema HeaderList() => MaxItems(List(HeaderValue), 16)
        .Unique(h => FieldPath.IsString(FieldPath.Get(h, "name"), out var n) ? n.ToLowerInvariant() : null, "header name");

    private static readonly ObjectSchema HeaderModifier = Obj(
        ("set", HeaderList()),
        ("add", HeaderList()),
        ("remove", MaxItems(List(Matching(Http.OperationHeaderName)), 16).Unique(what: "header name")));

    private static readonly ObjectSchema PathModifier = Obj(
            ("type", Enum("ReplaceFullPath", "ReplacePrefixMatch")),
            ("replaceFullPath", Matching(p => Length(p, 0, 1024) ?? Http.NoControls(p, "path"))),
            ("replacePrefixMatch", Matching(p => Length(p, 0, 1024) ?? Http.NoControls(p, "path"))))
        .Require("type")
        .Rule((modifier, path, problems) =>
        {
            var type = StringOr(modifier, "type", "");
            foreach (var (kind, field) in new[] { ("ReplaceFullPath", "replaceFullPath"), ("ReplacePrefixMatch", "replacePrefixMatch") })
            {
                if (type == kind && modifier[field] is null) problems.Error(FieldPath.Field(path, field), $"required when type is {kind}");
                if (type != kind && modifier[field] is not null) problems.Error(FieldPath.Field(path, field), $"must not be set when type is {type}");
            }
        });

    private static readonly ObjectSchema Redirect = Obj(
        ("scheme", Enum("http", "https")),
        ("hostname", PreciseHostname),
        ("path", PathModifier),
        ("port", Common.Port),
        ("statusCode", Int(301, 302))); // the CRD's enum: 301 or 302

    private static readonly ObjectSchema Rewrite = Obj(("hostname", PreciseHostname), ("path", PathModifier));

    private static readonly ObjectSchema Mirror = Obj(
            ("backendRef", BackendObjectRef),
            ("percent", Int(0, 100)),
            ("fraction", Obj(("numerator", Int(0)), ("denominator", Int(1))).Require("numerator")
                .Rule((fraction, path, problems) =>
                {
                    var numerator = Views.SpecReader.Long(fraction, "numerator") ?? 0;
                    var denominator = Views.SpecReader.Long(fraction, "denominator") ?? 100;
                    if (numerator > denominator) problems.Error(path, "numerator must be less than or equal to denominator");
                })))
        .Require("backendRef")
        .AtMostOne("percent", "fraction");

    private static readonly ObjectSchema Cors = Obj(
        ("allowOrigins", MaxItems(List(Matching(Origin)), 64).Unique(what: "origin")),
        ("allowCredentials", Bool),
        ("allowMethods", MaxItems(List(Enum("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*")), 9).Unique(what: "method")),
        ("allowHeaders", MaxItems(List(Matching(Http.CorsHeaderName)), 64).Unique(what: "header")),
        ("exposeHeaders", MaxItems(List(Matching(Http.CorsHeaderName)), 64).Unique(what: "header")),
        ("maxAge", Int(1)));

    private static readonly Dictionary<string, FieldSchema> Bodies = new(StringComparer.Ordinal)
    {
        ["requestHeaderModifier"] = HeaderModifier,
        ["responseHeaderModifier"] = HeaderModifier,
        ["requestMirror"] = Mirror,
        ["requestRedirect"] = Redirect,
        ["urlRewrite"] = Rewrite,
        ["cors"] = Cors,
        ["extensionRef"] = NotImplemented("Mesh implements no extension filters: extensionRef is not implemented"),
    };

    /// <summary>A list of filters of the <paramref name="types"/> a place takes (a rule, a backend, a gRPC rule), each
    /// type at most once except RequestMirror, and a redirect never with a rewrite.</summary>
    public static ListSchema Filters(params string[] types)
    {
        var fields = types.Select(t => (Companions[t], Bodies[Companions[t]])).Prepend(("type", (FieldSchema)Enum(types)));
        var filter = Obj([.. fields]).Require("type").Rule((f, path, problems) =>
        {
            var type = StringOr(f, "type", "");
            foreach (var (kind, field) in Companions.Where(c => types.Contains(c.Key)))
            {
                if (kind == type && f[field] is null) problems.Error(FieldPath.Field(path, field), $"required when type is {kind}");
                if (kind != type && f[field] is not null) problems.Error(FieldPath.Field(path, field), $"must not be set when type is {type}");
            }
        });
        return MaxItems(List(filter), 16).Rule((list, path, problems) =>
        {
            var typesSeen = list.Select(f => FieldPath.IsString(FieldPath.Get(f, "type"), out var t) ? t : "").ToList();
            foreach (var once in typesSeen.Where(t => t is not ("" or "RequestMirror" or "ExtensionRef")).GroupBy(t => t).Where(g => g.Count() > 1))
            {
                problems.Error(path, $"the {once.Key} filter cannot be repeated");
            }
            if (typesSeen.Contains("RequestRedirect") && typesSeen.Contains("URLRewrite"))
            {
                problems.Error(path, "a RequestRedirect and a URLRewrite filter cannot be used together");
            }
        });
    }

    /// <summary>The filter types of <paramref name="filters"/> (a rule's or a backend's).</summary>
    public static IReadOnlyList<string> TypesOf(JsonNode? filters)
        => [.. (filters as JsonArray ?? []).Select(f => FieldPath.IsString(FieldPath.Get(f, "type"), out var t) ? t : "")];

    /// <summary>A CORS origin: <c>*</c>, or <c>scheme://host[:port]</c>, the host possibly a <c>*.</c> wildcard.</summary>
    private static string? Origin(string origin)
    {
        if (origin == "*") return null;
        var scheme = origin.IndexOf("://", StringComparison.Ordinal);
        var reason = $"\"{Names.Short(origin)}\" is not an origin (\"*\" or scheme://host[:port])";
        if (scheme <= 0 || !origin[..scheme].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')) return reason;
        var authority = origin[(scheme + 3)..];
        var colon = authority.LastIndexOf(':');
        var host = colon >= 0 ? authority[..colon] : authority;
        if (colon >= 0 && !(int.TryParse(authority[(colon + 1)..], out var port) && port is >= 1 and <= 65535)) return reason;
        return host == "*" || Hosts.Wildcard(host, allowStar: false, allowIp: true) is null ? null : reason;
    }
}
