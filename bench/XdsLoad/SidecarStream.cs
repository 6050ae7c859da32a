using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Xds.Resources;

namespace Mesh.Bench.XdsLoad;

/// <summary>One simulated mesh sidecar (src/Sidecar/Xds): delta xDS with the sidecar's node metadata (auto-registered
/// as a WorkloadEntry), listeners by wildcard plus its inbound listener, then on demand, as requests would find them,
/// the listeners of the hosts it calls, their routes once the listeners arrived, the clusters the routes name once the
/// routes arrived, and their endpoints once the clusters arrived: four round trips, as the sidecar's references unfold.</summary>
public sealed class SidecarStream(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, string workload, int id, IReadOnlyList<string> hosts)
    : BenchStream
{
    /// <summary>The sidecar's order of discovery: each type is asked for once the one before it arrived.</summary>
    private static readonly string[] Stages = [TypeUrls.Listener, TypeUrls.Route, TypeUrls.Cluster, TypeUrls.Endpoint];

    private string[] Wanted(string type) => type switch
    {
        TypeUrls.Listener => [.. hosts.Select(h => XdsNames.Listener(h, 80))],
        TypeUrls.Route => [.. hosts.Select(h => XdsNames.Route(h, 80))],
        _ => Clusters(hosts),
    };

    private Node Node()
    {
        var address = $"10.{200 + id / 65536}.{id / 256 % 256}.{id % 256}";
        var labels = new Struct { Fields = { ["app"] = Value.ForString(workload) } };
        return new Node
        {
            Id = $"sidecar~{address}~{workload}.{BenchMesh.SidecarNamespace}~{BenchMesh.SidecarNamespace}.svc.cluster.local",
            Cluster = workload,
            UserAgentName = "mesh-sidecar",
            Metadata = new Struct
            {
                Fields =
                {
                    [NodeMetadata.Namespace] = Value.ForString(BenchMesh.SidecarNamespace),
                    [NodeMetadata.WorkloadName] = Value.ForString(workload),
                    [NodeMetadata.ServiceAccount] = Value.ForString("default"),
                    [NodeMetadata.Labels] = Value.ForStruct(labels),
                    [NodeMetadata.InstanceIps] = Value.ForString(address),
                    [NodeMetadata.Proxy] = Value.ForString("sidecar"),
                    [NodeMetadata.WorkloadPorts] = Value.ForStruct(new Struct { Fields = { ["http"] = Value.ForNumber(15006) } }),
                    [NodeMetadata.AutoRegister] = Value.ForString("true"),
                },
            },
        };
    }

    protected override async Task Stream(CancellationToken cancellationToken)
    {
        using var call = client.DeltaAggregatedResources(cancellationToken: cancellationToken);
        var first = new DeltaDiscoveryRequest { TypeUrl = TypeUrls.Listener, Node = Node() };
        first.ResourceNamesSubscribe.Add(["*", InboundListenerName.Of(BenchMesh.SidecarNamespace, workload)]);
        await call.RequestStream.WriteAsync(first, cancellationToken);
        var stage = -1;
        var arrived = new HashSet<string>(StringComparer.Ordinal);
        async Task Next()
        {
            stage++;
            arrived.Clear();
            if (stage == Stages.Length)
            {
                SetSynced();
                return;
            }
            var request = new DeltaDiscoveryRequest { TypeUrl = Stages[stage] };
            request.ResourceNamesSubscribe.Add(Wanted(Stages[stage]));
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }
        await Next();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            Received(response.CalculateSize());
            await call.RequestStream.WriteAsync(new DeltaDiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce }, cancellationToken);
            SawRoutes(response);
            if (stage >= Stages.Length || response.TypeUrl != Stages[stage]) continue;
            arrived.UnionWith(response.Resources.Select(r => r.Name));
            arrived.UnionWith(response.RemovedResources);
            if (Wanted(Stages[stage]).All(arrived.Contains)) await Next();
        }
    }
}
