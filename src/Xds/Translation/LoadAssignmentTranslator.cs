using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Mesh.Config.Keys;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>The endpoints of one cluster, grouped by locality (gRFC A27).</summary>
internal static class LoadAssignmentTranslator
{
    /// <param name="plaintextOnly">Whether a workload's PeerAuthentication is DISABLE: then, as Istio's auto mTLS does,
    /// clients are not told it takes mTLS, whatever its sidecar.</param>
    public static ClusterLoadAssignment Translate(ServiceModel model, int port, string subset, Func<EndpointAddress, bool>? plaintextOnly = null)
    {
        var assignment = new ClusterLoadAssignment { ClusterName = XdsNames.Cluster(port, subset, model.Host) };
        var endpoints = Endpoints(model, port, subset);
        var localities = endpoints
            .GroupBy(e => e.Locality, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var locality in localities)
        {
            var group = new LocalityLbEndpoints { Locality = Locality(locality.Key), Priority = 0 };
            long total = 0;
            foreach (var endpoint in locality.OrderBy(e => e.Address, StringComparer.Ordinal).ThenBy(e => e.Port).ThenBy(e => e.WorkloadKey, StringComparer.Ordinal))
            {
                var weight = Weight(endpoint.Weight);
                total += weight;
                group.LbEndpoints.Add(new LbEndpoint
                {
                    Endpoint = new Endpoint
                    {
                        Address = new Address { SocketAddress = new SocketAddress { Address = endpoint.Address, PortValue = (uint)endpoint.Port } },
                    },
                    HealthStatus = HealthStatus.Healthy,
                    LoadBalancingWeight = weight,
                    Metadata = WorkloadMetadata(endpoint, plaintextOnly),
                });
            }
            // Always set: gRPC clients ignore a locality without a weight and then report "no localities".
            group.LoadBalancingWeight = (uint)Math.Clamp(total, 1, uint.MaxValue);
            assignment.Endpoints.Add(group);
        }
        return assignment;
    }

    private static IReadOnlyList<EndpointAddress> Endpoints(ServiceModel model, int port, string subset)
    {
        var ports = model.Ports.FirstOrDefault(p => p.Port.Number == port);
        if (ports is null) return [];
        if (subset.Length == 0) return ports.Endpoints;
        return ports.Subsets.TryGetValue(subset, out var members) ? members : [];
    }

    /// <summary>The WorkloadEntry behind an endpoint (<c>namespace/name</c>, for the sidecar's telemetry), whether it has
    /// a sidecar that accepts mTLS, and its service account (the identity its certificate must carry); none for a
    /// ServiceEntry's inline endpoint.</summary>
    private static Metadata? WorkloadMetadata(EndpointAddress endpoint, Func<EndpointAddress, bool>? plaintextOnly)
    {
        var key = endpoint.WorkloadKey;
        if (!WorkloadKey.TryParse(key, out _, out _)) return null;
        var fields = new Google.Protobuf.WellKnownTypes.Struct
        {
            Fields = { [SidecarMetadata.Workload] = Google.Protobuf.WellKnownTypes.Value.ForString(key) },
        };
        if (endpoint.Labels.TryGetValue(MeshIdentity.TlsModeLabel, out var tlsMode))
        {
            fields.Fields[SidecarMetadata.TlsMode] = Google.Protobuf.WellKnownTypes.Value.ForString(plaintextOnly?.Invoke(endpoint) == true ? TlsModes.Disabled : tlsMode);
        }
        fields.Fields[SidecarMetadata.ServiceAccount] = Google.Protobuf.WellKnownTypes.Value.ForString(endpoint.ServiceAccount.Length > 0 ? endpoint.ServiceAccount : Cache.WorkloadFacts.DefaultServiceAccount);
        var metadata = new Metadata();
        metadata.FilterMetadata[SidecarMetadata.Namespace] = fields;
        return metadata;
    }

    /// <summary>Envoy requires endpoint weights of at least 1.</summary>
    private static uint Weight(int weight) => (uint)Math.Max(1, weight);

    /// <summary><c>region/zone/subzone</c>, any part possibly missing.</summary>
    private static Locality Locality(string text)
    {
        var parts = text.Split('/', 3);
        return new Locality
        {
            Region = parts.Length > 0 ? parts[0] : "",
            Zone = parts.Length > 1 ? parts[1] : "",
            SubZone = parts.Length > 2 ? parts[2] : "",
        };
    }
}
