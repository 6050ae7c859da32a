using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace Mesh.Xds.Server;

/// <summary>Aggregated Discovery Service: state of the world and delta, every type on one stream.</summary>
public sealed class AdsService(StreamContext context, IHostApplicationLifetime lifetime) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
{
    public override Task StreamAggregatedResources(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new SotwStream(requestStream, responseStream, context, token) { Credential = credential }.Run());

    public override Task DeltaAggregatedResources(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext call) =>
        StreamRunner.Run(call, lifetime, context, (token, credential) => new DeltaStream(requestStream, responseStream, context, token) { Credential = credential }.Run());
}

/// <summary>Runs a stream until the proxy leaves or the silo stops (Kestrel would otherwise wait 30 s for open
/// streams), turning the silo's shutdown into UNAVAILABLE so proxies reconnect elsewhere at once.</summary>
internal static class StreamRunner
{
    public static async Task Run(ServerCallContext call, IHostApplicationLifetime lifetime, StreamContext context,
        Func<CancellationToken, Security.WorkloadCredential?, Task> stream)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var credential = await context.Authenticator.Authenticate(call.GetHttpContext(), ending.Token);
            await stream(ending.Token, credential);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the control-plane silo is shutting down; reconnect to another"));
        }
        catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
        {
        }
    }
}
