using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Hosting;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Xds;

/// <summary>The node a sidecar presents to the control plane: Istio's id shape, and the metadata the control plane
/// registers the workload from (as Istio's agent sends it, plus the ports other sidecars reach it on).</summary>
public static class NodeIdentity
{
    public static Node For(SidecarOptions options)
    {
        var labels = new Struct();
        foreach (var (key, value) in options.Labels) labels.Fields[key] = Value.ForString(value);
        var metadata = new Struct
        {
            Fields =
            {
                [NodeMetadata.Namespace] = Value.ForString(options.Namespace),
                [NodeMetadata.WorkloadName] = Value.ForString(options.Workload),
                [NodeMetadata.ServiceAccount] = Value.ForString(options.ServiceAccount),
                [NodeMetadata.Labels] = Value.ForStruct(labels),
                [NodeMetadata.InstanceIps] = Value.ForString(options.Address),
                [NodeMetadata.Proxy] = Value.ForString(options.Gateway ? ProxyNodeId.Router : ProxyNodeId.Sidecar),
                [NodeMetadata.MetricsUrl] = Value.ForString(MetricsUrl(options)),
            },
        };
        if (options.Gateway)
        {
            // A gateway registers its workload too (its labels are what Gateways select), reachable directly on its
            // listen ports; named apart from any service port so that a service's own port names keep their meaning.
            var ports = new Struct();
            foreach (var port in options.ListenPorts) ports.Fields[$"listen-{port}"] = Value.ForNumber(port);
            metadata.Fields[NodeMetadata.WorkloadPorts] = Value.ForStruct(ports);
            metadata.Fields[NodeMetadata.AutoRegister] = Value.ForString("true");
        }
        else if (options.ServicePorts.Count > 0)
        {
            // Other sidecars reach this workload's service ports through its inbound listener.
            var ports = new Struct();
            foreach (var port in options.ServicePorts) ports.Fields[port.Name] = Value.ForNumber(options.InboundPort);
            metadata.Fields[NodeMetadata.WorkloadPorts] = Value.ForStruct(ports);
            metadata.Fields[NodeMetadata.AutoRegister] = Value.ForString("true");
        }
        var locality = options.Locality.Split('/');
        return new Node
        {
            Id = options.NodeId,
            Cluster = options.App,
            UserAgentName = "mesh-sidecar",
            UserAgentVersion = typeof(NodeIdentity).Assembly.GetName().Version?.ToString() ?? "0",
            Metadata = metadata,
            Locality = new Locality
            {
                Region = locality.ElementAtOrDefault(0) ?? "",
                Zone = locality.ElementAtOrDefault(1) ?? "",
                SubZone = locality.ElementAtOrDefault(2) ?? "",
            },
        };
    }

    /// <summary>The metrics endpoint as others reach it: the address the sidecar binds it on.</summary>
    public static string MetricsUrl(SidecarOptions options)
    {
        var host = System.Net.IPAddress.TryParse(options.Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{options.Address}]" : options.Address;
        return $"http://{host}:{options.MetricsPort}/stats/prometheus";
    }
}
