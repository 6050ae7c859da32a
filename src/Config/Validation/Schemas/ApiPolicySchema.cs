using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>policy.mesh.dev ApiPolicy: what a gateway enforces at the edge for the Gateways, routes or hosts it targets
/// (rate limits, API keys and consumers, IP lists, a body limit).</summary>
internal static class ApiPolicySchema
{
    /// <summary>Gateway API policy attachment: a local reference (the policy's namespace) by kind and name.</summary>
    private static readonly ObjectSchema TargetRef = Obj(
            ("group", Str),
            ("kind", Enum("Gateway", "VirtualService", "HTTPRoute")),
            ("name", Matching(Names.Subdomain)))
        .Require("kind", "name");

    private static readonly ObjectSchema Match = Obj(
        ("pathPrefix", Matching(p => p.StartsWith('/') ? null : "must start with /")),
        ("methods", List(Matching(Http.CorsMethod)).NonEmpty().Unique(what: "method")));

    /// <summary>What a limit counts by (Kong's <c>limit_by</c>); absent: one bucket for every request the limit matches.</summary>
    private static readonly ObjectSchema Key = Obj(
            ("type", Enum("ClientIp", "Header", "JwtClaim", "Consumer")),
            ("name", Str))
        .Require("type")
        .Rule(CheckKey);

    /// <summary>Envoy's token bucket: <c>maxTokens</c> to start and at most, <c>tokensPerFill</c> added every
    /// <c>fillInterval</c> (at least 50ms, as Envoy's local rate limit requires).</summary>
    private static readonly ObjectSchema RateLimit = Obj(
            ("name", Matching(Names.Label)),
            ("match", Match),
            ("key", Key),
            ("maxTokens", Int(1)),
            ("tokensPerFill", Int(1)),
            ("fillInterval", Matching(Durations.AtLeast(50, precisionMillis: 1))),
            ("scope", Enum("Local", "Cluster")),
            ("failureMode", Enum("Open", "Closed")))
        .Require("name", "maxTokens", "fillInterval")
        .Rule(CheckRateLimit);

    private static readonly ObjectSchema Consumer = Obj(
            ("name", Matching(Names.Label)),
            ("keyHashes", List(Matching(Sha256Hex)).NonEmpty("a consumer needs at least one key hash").Unique(what: "key hash")))
        .Require("name", "keyHashes");

    /// <summary>OpenAPI's apiKey scheme (<c>in</c>, <c>name</c>); keys are stored as their SHA-256, never in clear.</summary>
    private static readonly ObjectSchema ApiKeys = Obj(
            ("in", Enum("header", "query")),
            ("name", Str),
            ("consumers", List(Consumer).NonEmpty("API keys need at least one consumer").Unique(c => c.Text("name"), what: "consumer name")))
        .Require("in", "name", "consumers")
        .Rule(CheckApiKeys);

    public static ObjectSchema Spec { get; } = Obj(
            ("targetRefs", List(TargetRef).NonEmpty("a policy needs at least one target")),
            ("hosts", List(Common.Host).NonEmpty()),
            ("rateLimits", List(RateLimit).Unique(l => l.Text("name"), what: "rate limit name")),
            ("apiKeys", ApiKeys),
            ("ipAllow", List(Common.IpOrCidr).NonEmpty()),
            ("ipDeny", List(Common.IpOrCidr).NonEmpty()),
            ("trustedHops", Int(0, 16)),
            ("maxRequestBodyBytes", Int(1, uint.MaxValue)))
        .Require("targetRefs")
        .Rule(CheckSpec);

    private static void CheckKey(JsonObject key, string path, Problems problems)
    {
        var type = FieldPath.IsString(key["type"], out var t) ? t : "";
        var name = FieldPath.IsString(key["name"], out var n) ? n : null;
        if (type is "Header" or "JwtClaim" && string.IsNullOrEmpty(name))
        {
            problems.Error(FieldPath.Field(path, "name"), $"required for a {type} key");
        }
        if (type is "ClientIp" or "Consumer" && name is not null)
        {
            problems.Error(FieldPath.Field(path, "name"), $"a {type} key takes no name");
        }
        if (type is "Header" && name is not null && Http.HeaderName(name) is { } reason) problems.Error(FieldPath.Field(path, "name"), reason);
    }

    private static void CheckRateLimit(JsonObject limit, string path, Problems problems)
    {
        if (limit.Integer("tokensPerFill") is { } perFill && limit.Integer("maxTokens") is { } max && perFill > max)
        {
            problems.Error(FieldPath.Field(path, "tokensPerFill"), "must not exceed maxTokens (the bucket holds at most maxTokens)");
        }
        if (limit["failureMode"] is not null && limit.Text("scope") != "Cluster")
        {
            problems.Error(FieldPath.Field(path, "failureMode"), "only a Cluster limit depends on the control plane: set scope: Cluster");
        }
    }

    private static void CheckApiKeys(JsonObject keys, string path, Problems problems)
    {
        if (keys.Text("name") is not { } name) return;
        var reason = keys.Text("in") == "header" ? Http.HeaderName(name) : name.Length == 0 ? "must not be empty" : null;
        if (reason is not null) problems.Error(FieldPath.Field(path, "name"), reason);
    }

    private static void CheckSpec(JsonObject spec, string path, Problems problems)
    {
        if (spec["apiKeys"] is null)
        {
            var limits = spec["rateLimits"] as JsonArray ?? [];
            for (var i = 0; i < limits.Count; i++)
            {
                if (FieldPath.Get(limits[i], "key", "type") is JsonValue v && v.TryGetValue<string>(out var type) && type == "Consumer")
                {
                    problems.Error(FieldPath.Field(FieldPath.Index(FieldPath.Field(path, "rateLimits"), i), "key"), "a Consumer key needs apiKeys (the consumer is who the API key names)");
                }
            }
        }
        var hasIpList = spec["ipAllow"] is not null || spec["ipDeny"] is not null;
        var countsByIp = (spec["rateLimits"] as JsonArray ?? []).Any(l => FieldPath.Get(l, "key", "type") is JsonValue v && v.TryGetValue<string>(out var t) && t == "ClientIp");
        if (spec["trustedHops"] is not null && !hasIpList && !countsByIp)
        {
            problems.Error(FieldPath.Field(path, "trustedHops"), "applies to ipAllow, ipDeny and ClientIp rate-limit keys: set one of them");
        }
    }

    private static string? Sha256Hex(string hash) =>
        hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower)
            ? null
            : $"\"{Names.Short(hash)}\" is not a SHA-256 in lower-case hex (64 characters: printf %s KEY | sha256sum)";

    private static string? Text(this JsonNode? node, string field) => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Integer(this JsonNode? node, string field) => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;
}
