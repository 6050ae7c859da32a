using System.Text.Json.Nodes;
using k8s.Models;
using Mesh.Config.Kinds;
using Mesh.Config.Validation.Rules;

namespace Mesh.Kubernetes.Registry;

/// <summary>A Service as the ServiceEntry document istiod's model of it amounts to (see <see cref="RegistryMapping"/>).</summary>
public static class ServiceEntryMapping
{
    public const string ExternalName = "ExternalName";
    private const string Headless = "None";

    public static JsonObject Document(V1Service service)
    {
        var name = service.Name();
        var ns = service.Namespace() ?? "default";
        var external = IsExternalName(service);
        var spec = new JsonObject
        {
            ["hosts"] = new JsonArray(HostNames.Qualify(name, ns)),
        };
        if (!external && ClusterIps(service) is { Count: > 0 } addresses) spec["addresses"] = Array(addresses);
        spec["ports"] = new JsonArray([.. (service.Spec?.Ports ?? []).Select(port => Port(port, withTarget: !external))]);
        spec["location"] = external ? "MESH_EXTERNAL" : "MESH_INTERNAL";
        spec["resolution"] = external ? "DNS" : "STATIC";
        if (external)
        {
            spec["endpoints"] = new JsonArray(new JsonObject { ["address"] = service.Spec?.ExternalName ?? "" });
        }
        else
        {
            spec["workloadSelector"] = new JsonObject { ["labels"] = new JsonObject { [RegistryNames.ServiceLabel] = name } };
        }
        if (ExportTo(service) is { Count: > 0 } exportTo) spec["exportTo"] = Array(exportTo);
        return RegistryDocuments.Document(ResourceKinds.ServiceEntry, name, ns, labels: null, spec);
    }

    public static bool IsExternalName(V1Service service) => service.Spec?.Type == ExternalName;

    /// <summary>The Service's virtual IPs, both families on a dual-stack Service; none for a headless one.</summary>
    public static IReadOnlyList<string> ClusterIps(V1Service service)
    {
        var ips = service.Spec?.ClusterIPs is { Count: > 0 } all ? all : service.Spec?.ClusterIP is { } one ? [one] : [];
        return [.. ips.Where(ip => ip.Length > 0 && ip != Headless)];
    }

    /// <summary>The Service's first IP family: the one whose endpoint address stands for a dual-stack pod.</summary>
    public static bool PrefersIpv6(V1Service service) =>
        service.Spec?.IpFamilies is { Count: > 0 } families ? families[0] == "IPv6" : ClusterIps(service).FirstOrDefault()?.Contains(':') == true;

    /// <summary>The port name a slice port (named as its Service port, or unnamed for a lone unnamed one) stands for.</summary>
    public static string PortName(V1ServicePort port) => RegistryNames.PortName(port.Name, PortProtocols.Of(port), port.Port);

    private static JsonObject Port(V1ServicePort port, bool withTarget)
    {
        var protocol = PortProtocols.Of(port);
        var json = new JsonObject
        {
            ["number"] = port.Port,
            ["name"] = RegistryNames.PortName(port.Name, protocol, port.Port),
            ["protocol"] = protocol,
        };
        // A named targetPort differs per pod: the slices carry the number, and each WorkloadEntry its own.
        if (withTarget && int.TryParse(port.TargetPort?.Value, out var target) && target > 0) json["targetPort"] = target;
        return json;
    }

    private static IReadOnlyList<string> ExportTo(V1Service service) =>
        service.Metadata?.Annotations.Value(RegistryNames.ExportToAnnotation) is { } value
            ? [.. value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0)]
            : [];

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
