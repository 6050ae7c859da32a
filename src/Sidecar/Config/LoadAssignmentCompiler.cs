using Envoy.Config.Endpoint.V3;
using EnvoyCore = Envoy.Config.Core.V3;
using Mesh.Config.Keys;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles a <c>ClusterLoadAssignment</c> (from EDS, or inline in a cluster) into endpoints with their
/// locality, weight, health, and what Mesh's metadata says of the workload behind them (name, namespace, whether it
/// runs a sidecar that takes mTLS, its service account).</summary>
internal static class LoadAssignmentCompiler
{
    public static List<EndpointModel> Compile(ClusterLoadAssignment? assignment)
    {
        var endpoints = new List<EndpointModel>();
        foreach (var locality in assignment?.Endpoints ?? [])
        {
            var localityName = string.Join('/', locality.Locality?.Region ?? "", locality.Locality?.Zone ?? "", locality.Locality?.SubZone ?? "").TrimEnd('/');
            foreach (var lbEndpoint in locality.LbEndpoints)
            {
                if (lbEndpoint.Endpoint?.Address?.SocketAddress is not { } socket) continue;
                var meta = lbEndpoint.Metadata?.FilterMetadata.TryGetValue(SidecarMetadata.Namespace, out var found) == true ? found : null;
                string Text(string key) => meta is not null && meta.Fields.TryGetValue(key, out var value) ? value.StringValue : "";
                var workload = Text(SidecarMetadata.Workload);
                var entry = WorkloadKey.TryParse(workload, out var workloadNamespace, out var workloadName);
                endpoints.Add(new EndpointModel(socket.Address, (int)socket.PortValue, (int)Math.Max(1, lbEndpoint.LoadBalancingWeight ?? 1),
                    localityName,
                    lbEndpoint.HealthStatus is EnvoyCore.HealthStatus.Unknown or EnvoyCore.HealthStatus.Healthy or EnvoyCore.HealthStatus.Degraded,
                    entry ? workloadName : workload, entry ? workloadNamespace : "")
                {
                    SidecarMtls = Text(SidecarMetadata.TlsMode) == TlsModes.Istio,
                    ServiceAccount = Text(SidecarMetadata.ServiceAccount),
                });
            }
        }
        return endpoints;
    }
}
