using System.Net;
using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>networking.istio.io Sidecar: narrows what a workload's proxy listens on and which services it can reach.</summary>
internal static class SidecarSchema
{
    private static readonly EnumSchema CaptureMode = Enum("DEFAULT", "IPTABLES", "NONE");

    private static readonly ObjectSchema Ingress = Obj(
            ("port", GatewaySchema.Port),
            ("bind", Matching(Bind)),
            ("captureMode", CaptureMode),
            ("defaultEndpoint", Matching(DefaultEndpoint)),
            ("tls", GatewaySchema.ServerTls),
            ("connectionPool", DestinationRuleSchema.ConnectionPool))
        .Require("port");

    private static readonly ObjectSchema Egress = Obj(
            ("port", GatewaySchema.Port),
            ("bind", Matching(Bind)),
            ("captureMode", CaptureMode),
            ("hosts", List(Matching(h => Hosts.NamespacedHost(h, requireNamespace: true))).NonEmpty("an egress listener needs at least one host")))
        .Require("hosts");

    public static ObjectSchema Spec { get; } = Obj(
            ("workloadSelector", Common.WorkloadSelector),
            ("ingress", List(Ingress)),
            ("egress", List(Egress).Rule(CheckCatchAllLast)),
            ("outboundTrafficPolicy", Obj(("mode", Enum("REGISTRY_ONLY", "ALLOW_ANY")), ("egressProxy", Routing.Destination))),
            ("inboundConnectionPool", DestinationRuleSchema.ConnectionPool));

    /// <summary>Istio: the egress listener without a port catches everything else, so it must come last and only once.</summary>
    private static void CheckCatchAllLast(JsonArray egress, string path, Problems problems)
    {
        var catchAll = Enumerable.Range(0, egress.Count).Where(i => egress[i] is JsonObject e && e["port"] is null).ToList();
        if (catchAll.Count > 1) problems.Error(path, "only one egress listener may omit the port");
        else if (catchAll.Count == 1 && catchAll[0] != egress.Count - 1)
        {
            problems.Error(FieldPath.Index(path, catchAll[0]), "the egress listener without a port must be the last one");
        }
    }

    private static string? Bind(string bind)
    {
        if (bind.StartsWith("unix://", StringComparison.Ordinal)) return null;
        return IPAddress.TryParse(bind, out _) ? null : $"bind \"{Names.Short(bind)}\" must be an IP address or unix:// socket";
    }

    /// <summary><c>127.0.0.1:PORT</c>, <c>0.0.0.0:PORT</c>, <c>[::1]:PORT</c>, <c>[::]:PORT</c> or <c>unix:///path</c>.</summary>
    private static string? DefaultEndpoint(string endpoint)
    {
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal)) return null;
        var colon = endpoint.LastIndexOf(':');
        var host = colon < 0 ? "" : endpoint[..colon];
        var valid = host is "127.0.0.1" or "0.0.0.0" or "[::1]" or "[::]"
                    && int.TryParse(endpoint[(colon + 1)..], out var port) && port is >= 1 and <= 65535;
        return valid ? null : $"defaultEndpoint \"{Names.Short(endpoint)}\" must be 127.0.0.1:PORT, 0.0.0.0:PORT, [::1]:PORT, [::]:PORT or unix:///path";
    }
}
