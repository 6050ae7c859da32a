using System.Text.Json.Nodes;
using Mesh.Config.Text;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;
using static Mesh.Config.Validation.Schemas.GatewayApiCommon;

namespace Mesh.Config.Validation.Schemas;

/// <summary>gateway.networking.k8s.io HTTPRoute, with the rules of the upstream CRD (OpenAPI and CEL).</summary>
internal static class GatewayApiHttpRouteSchema
{
    /// <summary>The CEL limit across a route's rules (16 rules of up to 64 matches each would be 1024).</summary>
    public const int MaxMatchesPerRoute = 128;

    private static readonly ObjectSchema PathMatch = Obj(
            ("type", Enum("Exact", "PathPrefix", "RegularExpression")),
            ("value", Matching(v => Length(v, 0, 1024))))
        .Rule((match, path, problems) =>
        {
            var type = StringOr(match, "type", "PathPrefix");
            var value = StringOr(match, "value", "/");
            var reason = type == "RegularExpression" ? Re2.Check(value) : PathRule(value);
            if (reason is not null) problems.Error(FieldPath.Field(path, "value"), reason);
        });

    private static ListSchema NamedMatches(int valueMax) => MaxItems(List(Obj(
                ("type", Enum("Exact", "RegularExpression")),
                ("name", HeaderName),
                ("value", Matching(v => Length(v, 1, valueMax))))
            .Require("name", "value")
            .Rule((match, path, problems) =>
            {
                if (StringOr(match, "type", "Exact") == "RegularExpression" && Re2.Check(StringOr(match, "value", "")) is { } reason)
                {
                    problems.Error(FieldPath.Field(path, "value"), reason);
                }
            })), 16)
        .Unique(m => FieldPath.IsString(FieldPath.Get(m, "name"), out var n) ? n : null, "name");

    /// <summary>Header matches (the gRPC route's too): names are unique, values up to 4096 characters.</summary>
    public static ListSchema HeaderMatches { get; } = NamedMatches(4096);

    private static readonly ObjectSchema Match = Obj(
        ("path", PathMatch),
        ("headers", HeaderMatches),
        ("queryParams", NamedMatches(1024)),
        ("method", Enum("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")));

    private static readonly ObjectSchema BackendRef = BackendRefOf(GatewayApiFilterSchema.Filters("RequestHeaderModifier", "ResponseHeaderModifier"));

    private static readonly ObjectSchema Timeouts = Obj(("request", Duration), ("backendRequest", Duration))
        .Rule((timeouts, path, problems) =>
        {
            var request = FieldPath.IsString(timeouts["request"], out var r) ? GoDuration.Nanoseconds(r) : null;
            var backend = FieldPath.IsString(timeouts["backendRequest"], out var b) ? GoDuration.Nanoseconds(b) : null;
            if (request is > 0 && backend > request)
            {
                problems.Error(FieldPath.Field(path, "backendRequest"), "must not be longer than the request timeout");
            }
        });

    private static readonly ObjectSchema Rule = Obj(
            ("name", SectionName),
            ("matches", MaxItems(List(Match), 64)),
            ("filters", GatewayApiFilterSchema.Filters("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "CORS", "ExtensionRef")),
            ("backendRefs", MaxItems(List(BackendRef), 16)),
            ("timeouts", Timeouts),
            ("retry", NotImplemented("HTTPRoute retry is not implemented by Mesh; set retries with a VirtualService")),
            ("sessionPersistence", NotImplemented("sessionPersistence is not implemented by Mesh")))
        .Rule(CheckRule);

    public static ObjectSchema Spec { get; } = Obj(
            ("parentRefs", ParentRefs),
            ("hostnames", MaxItems(List(Hostname), 16)),
            ("rules", MaxItems(List(Rule), 16).Rule(TotalMatches)))
        .Require("parentRefs");

    /// <summary>An <c>HTTPBackendRef</c> or <c>GRPCBackendRef</c>: a backend reference, its weight, its own filters.</summary>
    public static ObjectSchema BackendRefOf(ListSchema filters) => Obj(
            [.. BackendObjectRef.Fields.Select(f => (f.Key, f.Value)), ("weight", Int(0, 1_000_000)), ("filters", filters)])
        .Require("name")
        .Rule((reference, path, problems) => BackendObjectRef.Check(Without(reference, "weight", "filters"), path, problems));

    public static void TotalMatches(JsonArray rules, string path, Problems problems)
    {
        var total = rules.Sum(r => (FieldPath.Get(r, "matches") as JsonArray)?.Count ?? 0);
        if (total > MaxMatchesPerRoute) problems.Error(path, $"the rules have {total} matches in all; at most {MaxMatchesPerRoute} are allowed");
    }

    private static JsonObject Without(JsonObject obj, params string[] fields)
        => new(obj.Where(p => !fields.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

    private static void CheckRule(JsonObject rule, string path, Problems problems)
    {
        var filters = GatewayApiFilterSchema.TypesOf(rule["filters"]);
        if (filters.Contains("RequestRedirect") && rule["backendRefs"] is JsonArray { Count: > 0 })
        {
            problems.Error(FieldPath.Field(path, "backendRefs"), "must be empty when the rule has a RequestRedirect filter");
        }
        var prefixReplaced = (rule["filters"] as JsonArray ?? []).Any(f =>
            FieldPath.IsString(FieldPath.Get(f, "requestRedirect", "path", "type"), out var a) && a == "ReplacePrefixMatch"
            || FieldPath.IsString(FieldPath.Get(f, "urlRewrite", "path", "type"), out var b) && b == "ReplacePrefixMatch");
        if (prefixReplaced)
        {
            var matches = rule["matches"] as JsonArray ?? [];
            var onePrefix = matches.Count == 1 && StringOr(FieldPath.Get(matches[0], "path") as JsonObject ?? [], "type", "PathPrefix") == "PathPrefix";
            if (!onePrefix) problems.Error(FieldPath.Field(path, "matches"), "exactly one PathPrefix match is required with a ReplacePrefixMatch path modifier");
        }
    }

    /// <summary>The CRD's rules for Exact and PathPrefix values: an absolute path, without the sequences a path
    /// normalizer would rewrite (so that what matches is what the backend sees).</summary>
    private static string? PathRule(string value)
    {
        if (!value.StartsWith('/')) return "must be an absolute path (start with '/')";
        foreach (var bad in new[] { "//", "/./", "/../", "%2f", "%2F", "#" })
        {
            if (value.Contains(bad, StringComparison.Ordinal)) return $"must not contain '{bad}'";
        }
        if (value.EndsWith("/..", StringComparison.Ordinal) || value.EndsWith("/.", StringComparison.Ordinal)) return "must not end with '/..' or '/.'";
        return Http.NoControls(value, "path");
    }
}
