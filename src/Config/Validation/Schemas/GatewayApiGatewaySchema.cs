using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;
using static Mesh.Config.Validation.Schemas.GatewayApiCommon;

namespace Mesh.Config.Validation.Schemas;

/// <summary>gateway.networking.k8s.io GatewayClass and Gateway, with the rules of the upstream CRDs (OpenAPI and CEL).</summary>
internal static partial class GatewayApiGatewaySchema
{
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$")]
    private static partial Regex ControllerNamePattern();

    /// <summary>The protocols Mesh serves on a listener (the API's core <c>ProtocolType</c> values).</summary>
    public static readonly string[] Protocols = ["HTTP", "HTTPS", "TLS", "TCP", "UDP"];

    public static ObjectSchema GatewayClassSpec { get; } = Obj(
            ("controllerName", Matching(c => Length(c, 1, 253)
                ?? (ControllerNamePattern().IsMatch(c) ? null : $"\"{Names.Short(c)}\" is not a controller name (a domain-prefixed path, like \"example.com/gateway-controller\")"))),
            ("description", Matching(d => Length(d, 0, 64))),
            ("parametersRef", NotImplemented("Mesh's gateway takes no parameters: parametersRef is not implemented")))
        .Require("controllerName");

    private static readonly ObjectSchema Tls = Obj(
            ("mode", Enum("Terminate", "Passthrough")),
            ("certificateRefs", MaxItems(List(SecretObjectRef), 64)),
            ("options", NotImplemented("TLS options are not implemented by Mesh (set TLS versions and ciphers with an Istio Gateway)")),
            ("frontendValidation", NotImplemented("client certificate validation (frontendValidation) is not implemented for Gateway API listeners; use an Istio Gateway with mode MUTUAL")))
        .Rule((tls, path, problems) =>
        {
            var mode = StringOr(tls, "mode", "Terminate");
            var refs = (tls["certificateRefs"] as JsonArray)?.Count ?? 0;
            if (mode == "Terminate" && refs == 0) problems.Error(FieldPath.Field(path, "certificateRefs"), "required when mode is Terminate");
            if (mode == "Passthrough" && refs > 0) problems.Error(FieldPath.Field(path, "certificateRefs"), "must be empty when mode is Passthrough");
        });

    private static readonly ObjectSchema AllowedRoutes = Obj(
        ("namespaces", Obj(("from", Enum("All", "Selector", "Same")), ("selector", LabelSelector))
            .Rule((namespaces, path, problems) =>
            {
                if (StringOr(namespaces, "from", "Same") == "Selector" && namespaces["selector"] is null)
                {
                    problems.Error(FieldPath.Field(path, "selector"), "required when from is Selector");
                }
            })),
        ("kinds", MaxItems(List(Obj(("group", GroupName), ("kind", KindName)).Require("kind")), 8)));

    private static readonly ObjectSchema Listener = Obj(
            ("name", SectionName),
            ("hostname", Hostname),
            ("port", Common.Port),
            ("protocol", Enum(Protocols)),
            ("tls", Tls),
            ("allowedRoutes", AllowedRoutes))
        .Require("name", "port", "protocol")
        .Rule(CheckListener);

    public static ObjectSchema GatewaySpec { get; } = Obj(
            ("gatewayClassName", ObjectName),
            ("listeners", MaxItems(List(Listener).NonEmpty("a Gateway needs at least one listener"), 64).Rule(CheckListeners)),
            ("addresses", NotImplemented("Mesh does not assign Gateway addresses: the gateway workloads' own addresses serve it; remove addresses")),
            ("infrastructure", NotImplemented("Mesh does not deploy gateways: label the gateway workload gateway.networking.k8s.io/gateway-name instead of setting infrastructure")),
            ("backendTLS", NotImplemented("backendTLS is not implemented by Mesh (gateway to mesh traffic is already mTLS)")),
            ("allowedListeners", NotImplemented("ListenerSets (allowedListeners) are not implemented by Mesh")))
        .Require("gatewayClassName", "listeners");

    private static void CheckListener(JsonObject listener, string path, Problems problems)
    {
        var protocol = StringOr(listener, "protocol", "");
        if (protocol is "HTTP" or "TCP" or "UDP" && listener["tls"] is not null)
        {
            problems.Error(FieldPath.Field(path, "tls"), $"must not be set for protocol {protocol}");
        }
        if (protocol is "HTTPS" or "TLS" && listener["tls"] is null) problems.Error(FieldPath.Field(path, "tls"), $"required for protocol {protocol}");
        if (protocol == "HTTPS" && listener["tls"] is JsonObject tls && StringOr(tls, "mode", "Terminate") != "Terminate")
        {
            problems.Error(FieldPath.Field(FieldPath.Field(path, "tls"), "mode"), "must be Terminate for protocol HTTPS");
        }
        if (protocol is "TCP" or "UDP" && listener["hostname"] is not null)
        {
            problems.Error(FieldPath.Field(path, "hostname"), $"must not be set for protocol {protocol}");
        }
    }

    private static void CheckListeners(JsonArray listeners, string path, Problems problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var endpoints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < listeners.Count; i++)
        {
            if (listeners[i] is not JsonObject listener) continue;
            if (FieldPath.IsString(listener["name"], out var name) && !names.Add(name))
            {
                problems.Error(FieldPath.Field(FieldPath.Index(path, i), "name"), $"listener name \"{Names.Short(name)}\" must be unique within the Gateway");
            }
            var endpoint = $"{listener["port"]?.ToJsonString()}/{StringOr(listener, "protocol", "")}/{StringOr(listener, "hostname", "")}";
            if (!endpoints.Add(endpoint))
            {
                problems.Error(FieldPath.Index(path, i), "the combination of port, protocol and hostname must be unique for each listener");
            }
        }
    }
}
