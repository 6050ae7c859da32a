using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Mesh.Xds.Resources;

namespace Mesh.Bench.XdsLoad;

/// <summary>One simulated proxyless client: subscribes to LDS, RDS, CDS and EDS of its own service and the shared
/// one, all at once, and ACKs everything at once.</summary>
public sealed class ProxyStream(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, int id, string ownHost, bool delta) : BenchStream
{
    private Dictionary<string, string[]> Names() => new()
    {
        [TypeUrls.Cluster] = Clusters([ownHost, BenchMesh.SharedHost]),
        [TypeUrls.Endpoint] = Clusters([ownHost, BenchMesh.SharedHost]),
        [TypeUrls.Listener] = [XdsNames.Listener(ownHost, 80), SharedRouteName],
        [TypeUrls.Route] = [XdsNames.Route(ownHost, 80), SharedRouteName],
    };

    private Node Node() => new() { Id = $"bench-{id}", UserAgentName = "mesh-xds-bench" };

    protected override Task Stream(CancellationToken cancellationToken) => delta ? RunDelta(cancellationToken) : RunSotw(cancellationToken);

    private async Task RunSotw(CancellationToken cancellationToken)
    {
        using var call = client.StreamAggregatedResources(cancellationToken: cancellationToken);
        var names = Names();
        var first = true;
        foreach (var (type, list) in names)
        {
            var request = new DiscoveryRequest { TypeUrl = type, Node = first ? Node() : null };
            request.ResourceNames.Add(list);
            first = false;
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }
        var seen = new HashSet<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            Received(response.CalculateSize());
            var ack = new DiscoveryRequest { TypeUrl = response.TypeUrl, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce };
            ack.ResourceNames.Add(names[response.TypeUrl]);
            await call.RequestStream.WriteAsync(ack, cancellationToken);
            SawRoutes(response);
            seen.Add(response.TypeUrl);
            if (seen.Count == 4) SetSynced();
        }
    }

    private async Task RunDelta(CancellationToken cancellationToken)
    {
        using var call = client.DeltaAggregatedResources(cancellationToken: cancellationToken);
        var first = true;
        foreach (var (type, list) in Names())
        {
            var request = new DeltaDiscoveryRequest { TypeUrl = type, Node = first ? Node() : null };
            request.ResourceNamesSubscribe.Add(list);
            first = false;
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }
        var seen = new HashSet<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            Received(response.CalculateSize());
            await call.RequestStream.WriteAsync(new DeltaDiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce }, cancellationToken);
            SawRoutes(response);
            seen.Add(response.TypeUrl);
            if (seen.Count == 4) SetSynced();
        }
    }
}
