using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>security.istio.io AuthorizationPolicy: which requests a workload allows, denies, audits or delegates.</summary>
internal static class AuthorizationPolicySchema
{
    private static readonly string[] ConditionKeys =
    [
        "request.headers", "source.ip", "remote.ip", "source.namespace", "source.principal", "source.serviceAccount",
        "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "request.auth.claims",
        "destination.ip", "destination.port", "connection.sni", "experimental.envoy.filters",
    ];

    private static readonly ListSchema Strings = List(Str);
    private static readonly ListSchema IpBlocks = List(Common.IpOrCidr);
    private static readonly ListSchema Ports = List(Matching(PortString));

    private static readonly ObjectSchema Source = Obj(
            ("principals", Strings), ("notPrincipals", Strings),
            ("requestPrincipals", Strings), ("notRequestPrincipals", Strings),
            ("namespaces", Strings), ("notNamespaces", Strings),
            ("ipBlocks", IpBlocks), ("notIpBlocks", IpBlocks),
            ("remoteIpBlocks", IpBlocks), ("notRemoteIpBlocks", IpBlocks),
            ("serviceAccounts", Strings), ("notServiceAccounts", Strings))
        .Rule(NotEmpty("source"))
        .Rule((source, path, problems) =>
        {
            if (source["serviceAccounts"] is not null && source["principals"] is not null)
            {
                problems.Error(path, "serviceAccounts and principals cannot be used together");
            }
        });

    private static readonly ObjectSchema Operation = Obj(
            ("hosts", Strings), ("notHosts", Strings),
            ("ports", Ports), ("notPorts", Ports),
            ("methods", Strings), ("notMethods", Strings),
            ("paths", Strings), ("notPaths", Strings))
        .Rule(NotEmpty("operation"));

    private static readonly ObjectSchema Condition = Obj(("key", Matching(ConditionKey)), ("values", Strings), ("notValues", Strings))
        .Require("key")
        .Rule((condition, path, problems) =>
        {
            if (condition["values"] is not JsonArray { Count: > 0 } && condition["notValues"] is not JsonArray { Count: > 0 })
            {
                problems.Error(path, "a condition needs values or notValues");
            }
        });

    private static readonly ObjectSchema Rule = Obj(
        ("from", List(Obj(("source", Source)).Require("source"))),
        ("to", List(Obj(("operation", Operation)).Require("operation"))),
        ("when", List(Condition)));

    public static ObjectSchema Spec { get; } = Obj(
            ("selector", Common.MatchLabelsSelector),
            ("targetRef", Common.TargetRef),
            ("targetRefs", List(Common.TargetRef)),
            ("rules", List(Rule)),
            ("action", Enum("ALLOW", "DENY", "AUDIT", "CUSTOM")),
            ("provider", Obj(("name", Str)).Require("name")))
        .Rule(SecuritySchemas.CheckAttachment)
        .Rule(CheckProvider);

    private static void CheckProvider(JsonObject spec, string path, Problems problems)
    {
        var custom = FieldPath.IsString(spec["action"], out var action) && action == "CUSTOM";
        if (custom && spec["provider"] is null) problems.Error(FieldPath.Field(path, "provider"), "required when action is CUSTOM");
        if (!custom && spec["provider"] is not null) problems.Error(FieldPath.Field(path, "provider"), "only allowed when action is CUSTOM");
    }

    private static Action<JsonObject, string, Problems> NotEmpty(string what)
        => (obj, path, problems) =>
        {
            if (obj.Count == 0) problems.Error(path, $"{what} must not be empty; leave it out to match everything");
        };

    private static string? PortString(string text)
        => int.TryParse(text, out var port) && port is >= 1 and <= 65535 ? null : $"\"{Names.Short(text)}\" is not a port number 1-65535";

    private static string? ConditionKey(string key)
    {
        var name = key.IndexOf('[') is var bracket and > 0 ? key[..bracket] : key;
        if (key.Contains('[') && !key.EndsWith(']')) return $"condition key \"{Names.Short(key)}\" has an unclosed [";
        if (name is "request.headers" or "request.auth.claims" && !key.Contains('['))
        {
            return $"condition key \"{name}\" needs a name in brackets, e.g. {name}[x-user]";
        }
        if (name.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal) || ConditionKeys.Contains(name)) return null;
        return $"unknown condition key \"{Names.Short(key)}\"; known keys: {string.Join(", ", ConditionKeys)}";
    }
}
