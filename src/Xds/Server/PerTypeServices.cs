using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Cds = Envoy.Service.Cluster.V3.ClusterDiscoveryService;
using Eds = Envoy.Service.Endpoint.V3.EndpointDiscoveryService;
using Lds = Envoy.Service.Listener.V3.ListenerDiscoveryService;
using Rds = Envoy.Service.Route.V3.RouteDiscoveryService;

namespace Mesh.Xds.Server;

/// <summary>CDS for clients that do not use ADS: the same streams, one type each.</summary>
public sealed class ClusterDiscovery(StreamContext context, IHostApplicationLifetime lifetime) : Cds.ClusterDiscoveryServiceBase
{
    public override Task StreamClusters(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new SotwStream(requestStream, responseStream, context, token) { Credential = credential }.Run());

    public override Task DeltaClusters(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new DeltaStream(requestStream, responseStream, context, token) { Credential = credential }.Run());
}

/// <summary>EDS for clients that do not use ADS.</summary>
public sealed class EndpointDiscovery(StreamContext context, IHostApplicationLifetime lifetime) : Eds.EndpointDiscoveryServiceBase
{
    public override Task StreamEndpoints(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new SotwStream(requestStream, responseStream, context, token) { Credential = credential }.Run());

    public override Task DeltaEndpoints(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new DeltaStream(requestStream, responseStream, context, token) { Credential = credential }.Run());
}

/// <summary>LDS for clients that do not use ADS.</summary>
public sealed class ListenerDiscovery(StreamContext context, IHostApplicationLifetime lifetime) : Lds.ListenerDiscoveryServiceBase
{
    public override Task StreamListeners(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new SotwStream(requestStream, responseStream, context, token) { Credential = credential }.Run());

    public override Task DeltaListeners(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new DeltaStream(requestStream, responseStream, context, token) { Credential = credential }.Run());
}

/// <summary>RDS for clients that do not use ADS.</summary>
public sealed class RouteDiscovery(StreamContext context, IHostApplicationLifetime lifetime) : Rds.RouteDiscoveryServiceBase
{
    public override Task StreamRoutes(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new SotwStream(requestStream, responseStream, context, token) { Credential = credential }.Run());

    public override Task DeltaRoutes(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new DeltaStream(requestStream, responseStream, context, token) { Credential = credential }.Run());
}
