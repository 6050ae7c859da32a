using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>networking.istio.io ServiceEntry: adds a service (external or internal) to the mesh's registry.</summary>
internal static class ServiceEntrySchema
{
    private static readonly ObjectSchema Port = Obj(
            ("number", Common.Port), ("protocol", Common.Protocol), ("name", Common.Label), ("targetPort", Common.Port))
        .Require("number", "name");

    public static ObjectSchema Spec { get; } = Obj(
            ("hosts", List(Matching(h => Hosts.Wildcard(h, allowStar: false))).NonEmpty().Unique(what: "host")),
            ("addresses", List(Common.IpOrCidr)),
            ("ports", List(Port)
                .Unique(p => FieldPath.Get(p, "number")?.ToJsonString(), "port number")
                .Unique(p => FieldPath.IsString(FieldPath.Get(p, "name"), out var n) ? n : null, "port name")),
            ("location", Enum("MESH_EXTERNAL", "MESH_INTERNAL")),
            ("resolution", Enum("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN")),
            ("endpoints", List(WorkloadEntrySchema.Fields())),
            ("workloadSelector", Common.WorkloadSelector),
            ("exportTo", Common.ExportTo),
            ("subjectAltNames", List(Str)))
        .Require("hosts")
        .AtMostOne("workloadSelector", "endpoints")
        .Rule(CheckResolution);

    private static void CheckResolution(JsonObject spec, string path, Problems problems)
    {
        var resolution = FieldPath.IsString(spec["resolution"], out var r) ? r : "NONE";
        var endpoints = spec["endpoints"] as JsonArray ?? [];
        var endpointsPath = FieldPath.Field(path, "endpoints");
        var portNames = (spec["ports"] as JsonArray ?? [])
            .Select(p => FieldPath.IsString(FieldPath.Get(p, "name"), out var n) ? n : null)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);

        switch (resolution)
        {
            case "NONE" when endpoints.Count > 0:
                problems.Error(endpointsPath, "no endpoints may be given with resolution NONE");
                break;
            case "STATIC" when endpoints.Count == 0 && spec["workloadSelector"] is null:
                problems.Error(endpointsPath, "resolution STATIC needs endpoints or a workloadSelector");
                break;
            case "DNS" or "DNS_ROUND_ROBIN" when endpoints.Count == 0:
                var hosts = spec["hosts"] as JsonArray ?? [];
                for (var i = 0; i < hosts.Count; i++)
                {
                    if (FieldPath.IsString(hosts[i], out var host) && host.StartsWith("*.", StringComparison.Ordinal))
                    {
                        problems.Error(FieldPath.Index(FieldPath.Field(path, "hosts"), i), $"a wildcard host cannot be resolved with {resolution} without endpoints");
                    }
                }
                break;
        }
        if (resolution == "DNS_ROUND_ROBIN" && endpoints.Count > 1)
        {
            problems.Error(endpointsPath, "resolution DNS_ROUND_ROBIN allows at most one endpoint");
        }
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i] is not JsonObject endpoint) continue;
            var endpointPath = FieldPath.Index(endpointsPath, i);
            WorkloadEntrySchema.CheckPortNames(endpoint, endpointPath, portNames, problems);
            var hasAddress = FieldPath.IsString(endpoint["address"], out var address);
            if (!hasAddress && endpoint["network"] is null) problems.Error(FieldPath.Field(endpointPath, "address"), "required unless network is set");
            if (resolution == "STATIC" && hasAddress && !Hosts.IsIp(address) && !address.StartsWith("unix://", StringComparison.Ordinal))
            {
                problems.Error(FieldPath.Field(endpointPath, "address"), $"resolution STATIC needs an IP address or unix socket, got \"{Names.Short(address)}\"");
            }
        }
    }
}
