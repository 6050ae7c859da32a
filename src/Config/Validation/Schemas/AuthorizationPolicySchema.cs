using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>security.istio.io AuthorizationPolicy: which requests a workload allows, denies, audits or delegates.</summary>
internal static class AuthorizationPolicySchema
{
    private const string HeadersKey = "request.headers";
    private const string ClaimsKey = "request.auth.claims";

    private static readonly string[] IdentityFields = ["principals", "notPrincipals", "namespaces", "notNamespaces"];
    private static readonly string[] ConditionValueFields = ["values", "notValues"];

    private static readonly string[] ConditionKeys =
    [
        HeadersKey, "source.ip", "remote.ip", "source.namespace", "source.principal", "source.serviceAccount",
        "request.auth.principal", "request.auth.audiences", "request.auth.presenter", ClaimsKey,
        "destination.ip", "destination.port", "connection.sni", "experimental.envoy.filters",
    ];

    // Istio's CheckEmptyValues: "" in any of these lists is refused (it would match nothing, or everything, by accident).
    private static readonly ListSchema Strings = List(Common.NonEmpty("empty value not allowed"));
    private static readonly ListSchema IpBlocks = List(Common.IpOrCidr);
    private static readonly ListSchema Ports = List(Matching(PortString));

    private static readonly string[] SourceFields =
    [
        "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
        "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts",
    ];

    private static readonly string[] OperationFields = ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"];

    private static readonly ObjectSchema Source = Obj(
            ("principals", Strings), ("notPrincipals", Strings),
            ("requestPrincipals", Strings), ("notRequestPrincipals", Strings),
            ("namespaces", Strings), ("notNamespaces", Strings),
            ("ipBlocks", IpBlocks), ("notIpBlocks", IpBlocks),
            ("remoteIpBlocks", IpBlocks), ("notRemoteIpBlocks", IpBlocks),
            ("serviceAccounts", Strings), ("notServiceAccounts", Strings))
        .Rule(SetsSomething("source", SourceFields, "from"))
        .Rule((source, path, problems) =>
        {
            // Istio: serviceAccounts name the identity on their own; mixing them with principals or namespaces is refused.
            if (HasValues(source, "serviceAccounts", "notServiceAccounts") && HasValues(source, IdentityFields))
            {
                problems.Error(path, "serviceAccounts cannot be used together with principals or namespaces (or their not- forms)");
            }
        });

    private static readonly ObjectSchema Operation = Obj(
            ("hosts", Strings), ("notHosts", Strings),
            ("ports", Ports), ("notPorts", Ports),
            ("methods", Strings), ("notMethods", Strings),
            ("paths", Strings), ("notPaths", Strings))
        .Rule(SetsSomething("operation", OperationFields, "to"));

    private static readonly ObjectSchema Condition = Obj(("key", Matching(ConditionKey)), ("values", Strings), ("notValues", Strings))
        .Require("key")
        .Rule((condition, path, problems) =>
        {
            if (!HasValues(condition, "values", "notValues"))
            {
                problems.Error(path, "a condition needs at least one value in values or notValues");
            }
        })
        .Rule(CheckConditionValues);

    private static readonly ObjectSchema Rule = Obj(
        ("from", List(Obj(("source", Source)).Require("source")).NonEmpty("must not be empty; leave from out to match every source")),
        ("to", List(Obj(("operation", Operation)).Require("operation")).NonEmpty("must not be empty; leave to out to match every operation")),
        ("when", List(Condition).NonEmpty("must not be empty; leave when out to add no condition")));

    public static ObjectSchema Spec { get; } = Obj(
            ("selector", Common.MatchLabelsSelector),
            ("targetRef", Common.TargetRef),
            ("targetRefs", List(Common.TargetRef)),
            ("rules", List(Rule)),
            ("action", Enum("ALLOW", "DENY", "AUDIT", "CUSTOM")),
            ("provider", Obj(("name", Str)).Require("name")))
        .Rule(SecuritySchemas.CheckAttachment)
        .Rule(CheckProvider)
        .Rule(CheckRulesPresent);

    private static void CheckProvider(JsonObject spec, string path, Problems problems)
    {
        var custom = FieldPath.IsString(spec["action"], out var action) && action == "CUSTOM";
        if (custom && spec["provider"] is null) problems.Error(FieldPath.Field(path, "provider"), "required when action is CUSTOM");
        if (!custom && spec["provider"] is not null) problems.Error(FieldPath.Field(path, "provider"), "only allowed when action is CUSTOM");
    }

    /// <summary>Istio refuses DENY and CUSTOM policies without rules: they would never apply, silently. (An ALLOW
    /// without rules allows nothing, which is meant; so is AUDIT's no-op.)</summary>
    private static void CheckRulesPresent(JsonObject spec, string path, Problems problems)
    {
        if (!FieldPath.IsString(spec["action"], out var action) || action is not ("DENY" or "CUSTOM")) return;
        if (spec["rules"] is JsonArray { Count: > 0 }) return;
        problems.Error(FieldPath.Field(path, "rules"),
            $"{action} action without rules is meaningless as it will never be triggered; add an empty rule {{}} if you want it triggered for every request");
    }

    /// <summary>Istio's rule that a source or an operation must constrain something: at least one of its lists has a
    /// value. An empty list is no constraint at all, so <c>{principals: []}</c> would match every caller.</summary>
    private static Action<JsonObject, string, Problems> SetsSomething(string what, string[] fields, string parent)
        => (obj, path, problems) =>
        {
            if (HasValues(obj, fields)) return;
            problems.Error(path, $"{what} must set at least one non-empty field ({string.Join(", ", fields)}); " +
                                 $"an empty {what} would match everything: leave {parent} out if that is what you mean");
        };

    private static bool HasValues(JsonObject obj, params string[] fields) => fields.Any(f => obj[f] is JsonArray { Count: > 0 });

    private static string? PortString(string text)
        => int.TryParse(text, out var port) && port is >= 1 and <= 65535 ? null : $"\"{Names.Short(text)}\" is not a port number 1-65535";

    private static string? ConditionKey(string key)
    {
        var name = key.IndexOf('[') is var bracket and > 0 ? key[..bracket] : key;
        if (key.Contains('[') && !key.EndsWith(']')) return $"condition key \"{Names.Short(key)}\" has an unclosed [";
        if (name is HeadersKey or ClaimsKey)
        {
            // Istio's validateMapKey: a[b] with a non-empty b.
            var inside = key.Length > name.Length + 2 ? key[(name.Length + 1)..^1] : "";
            if (inside.Length == 0) return $"condition key \"{Names.Short(key)}\" needs a name in brackets, e.g. {name}[x-user]";
            if (name == HeadersKey && Http.HeaderName(inside) is { } reason) return $"condition key \"{Names.Short(key)}\": {reason}";
            return null;
        }
        if (name.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal) || ConditionKeys.Contains(name)) return null;
        return $"unknown condition key \"{Names.Short(key)}\"; known keys: {string.Join(", ", ConditionKeys)}";
    }

    /// <summary>Istio's ValidateAttribute: values of address keys are IPs or CIDR blocks, of destination.port ports.</summary>
    private static void CheckConditionValues(JsonObject condition, string path, Problems problems)
    {
        if (!FieldPath.IsString(condition["key"], out var key)) return;
        Func<string, string?>? rule = key switch
        {
            "source.ip" or "remote.ip" or "destination.ip" => Hosts.IpOrCidr,
            "destination.port" => PortString,
            _ => null,
        };
        if (rule is null) return;
        foreach (var field in ConditionValueFields)
        {
            if (condition[field] is not JsonArray values) continue;
            for (var i = 0; i < values.Count; i++)
            {
                if (FieldPath.IsString(values[i], out var value) && value.Length > 0 && rule(value) is { } reason)
                {
                    problems.Error(FieldPath.Index(FieldPath.Field(path, field), i), reason);
                }
            }
        }
    }
}
