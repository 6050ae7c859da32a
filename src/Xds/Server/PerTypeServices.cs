using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Cds = Envoy.Service.Cluster.V3.ClusterDiscoveryService;
using Eds = Envoy.Service.Endpoint.V3.EndpointDiscoveryService;
using Lds = Envoy.Service.Listener.V3.ListenerDiscoveryService;
using Rds = Envoy.Service.Route.V3.RouteDiscoveryService;

namespace Mesh.Xds.Server;

// The per-type services, for clients that do not use ADS: the same streams, one type each. Each only names its
// generated methods; the streams are all run by the one StreamRunner.

/// <summary>CDS without ADS.</summary>
public sealed class ClusterDiscovery(StreamRunner streams) : Cds.ClusterDiscoveryServiceBase
{
    public override Task StreamClusters(IAsyncStreamReader<DiscoveryRequest> requests, IServerStreamWriter<DiscoveryResponse> responses, ServerCallContext call) => streams.Sotw(requests, responses, call);

    public override Task DeltaClusters(IAsyncStreamReader<DeltaDiscoveryRequest> requests, IServerStreamWriter<DeltaDiscoveryResponse> responses, ServerCallContext call) => streams.Delta(requests, responses, call);
}

/// <summary>EDS without ADS.</summary>
public sealed class EndpointDiscovery(StreamRunner streams) : Eds.EndpointDiscoveryServiceBase
{
    public override Task StreamEndpoints(IAsyncStreamReader<DiscoveryRequest> requests, IServerStreamWriter<DiscoveryResponse> responses, ServerCallContext call) => streams.Sotw(requests, responses, call);

    public override Task DeltaEndpoints(IAsyncStreamReader<DeltaDiscoveryRequest> requests, IServerStreamWriter<DeltaDiscoveryResponse> responses, ServerCallContext call) => streams.Delta(requests, responses, call);
}

/// <summary>LDS without ADS.</summary>
public sealed class ListenerDiscovery(StreamRunner streams) : Lds.ListenerDiscoveryServiceBase
{
    public override Task StreamListeners(IAsyncStreamReader<DiscoveryRequest> requests, IServerStreamWriter<DiscoveryResponse> responses, ServerCallContext call) => streams.Sotw(requests, responses, call);

    public override Task DeltaListeners(IAsyncStreamReader<DeltaDiscoveryRequest> requests, IServerStreamWriter<DeltaDiscoveryResponse> responses, ServerCallContext call) => streams.Delta(requests, responses, call);
}

/// <summary>RDS without ADS.</summary>
public sealed class RouteDiscovery(StreamRunner streams) : Rds.RouteDiscoveryServiceBase
{
    public override Task StreamRoutes(IAsyncStreamReader<DiscoveryRequest> requests, IServerStreamWriter<DiscoveryResponse> responses, ServerCallContext call) => streams.Sotw(requests, responses, call);

    public override Task DeltaRoutes(IAsyncStreamReader<DeltaDiscoveryRequest> requests, IServerStreamWriter<DeltaDiscoveryResponse> responses, ServerCallContext call) => streams.Delta(requests, responses, call);
}
