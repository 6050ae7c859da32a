using System.Text.Json.Nodes;
using Mesh.Config.Views.Gateways;
using Mesh.Config.Views.VirtualServices;
using Mesh.Xds.Translation.Gateways;

namespace Mesh.Xds.Tests.Translation.Gateways;

/// <summary>Gateways and bound VirtualServices for the gateway translator tests, written as specs. The gateway workload
/// is <c>istio-system/ingress</c>.</summary>
internal static class Gateways
{
    public const string WorkloadNamespace = "istio-system";
    public const string Workload = "ingress";

    public static BoundGateway Gateway(string servers, params BoundRoute[] routes) => Gateway("istio-system", "gw", servers, routes);

    public static BoundGateway Gateway(string @namespace, string name, string servers, params BoundRoute[] routes) =>
        new(@namespace, name, GatewayView.From(Parse($$"""{"selector": {"istio": "ingressgateway"}, "servers": {{servers}}}""")), routes);

    public static BoundRoute Route(string @namespace, string name, string spec) =>
        new($"VirtualService/{@namespace}/{name}", @namespace, VirtualServiceView.From(Parse(spec)));

    public static string Servers(params string[] servers) => "[" + string.Join(", ", servers) + "]";

    public static string On(int port, string protocol, string hosts, string? tls = null) =>
        $$"""{"port": {"number": {{port}}, "name": "p{{port}}", "protocol": "{{protocol}}"}, "hosts": {{hosts}}{{(tls is null ? "" : ", \"tls\": " + tls)}}}""";

    /// <summary>A VirtualService sending everything for <paramref name="hosts"/> to <paramref name="destination"/>:9080.</summary>
    public static string Http(string hosts, string destination = "productpage", string gateways = """["istio-system/gw"]""") =>
        $$"""{"hosts": {{hosts}}, "gateways": {{gateways}}, "http": [{"route": [{"destination": {"host": "{{destination}}", "port": {"number": 9080}""" + "}}]}]}";

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
