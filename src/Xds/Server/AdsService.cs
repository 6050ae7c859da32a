using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace Mesh.Xds.Server;

/// <summary>Aggregated Discovery Service: state of the world and delta, every type on one stream.</summary>
public sealed class AdsService(StreamRunner streams) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
{
    public override Task StreamAggregatedResources(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext call) =>
        streams.Sotw(requestStream, responseStream, call);

    public override Task DeltaAggregatedResources(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext call) =>
        streams.Delta(requestStream, responseStream, call);
}
