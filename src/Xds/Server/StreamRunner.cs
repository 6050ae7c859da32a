using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace Mesh.Xds.Server;

/// <summary>Runs every xDS stream, whichever service it came in on (ADS, or a per-type one, which is the same with
/// one type): authenticates it, then runs it until the proxy leaves or the silo stops (Kestrel would otherwise wait
/// 30 s for open streams), turning the silo's shutdown into UNAVAILABLE so proxies reconnect elsewhere at once.</summary>
public sealed class StreamRunner(StreamContext context, IHostApplicationLifetime lifetime)
{
    public Task Sotw(IAsyncStreamReader<DiscoveryRequest> requests, IServerStreamWriter<DiscoveryResponse> responses, ServerCallContext call) =>
        Run(call, (token, credential) => new SotwStream(requests, responses, context, token) { Credential = credential }.Run());

    public Task Delta(IAsyncStreamReader<DeltaDiscoveryRequest> requests, IServerStreamWriter<DeltaDiscoveryResponse> responses, ServerCallContext call) =>
        Run(call, (token, credential) => new DeltaStream(requests, responses, context, token) { Credential = credential }.Run());

    private async Task Run(ServerCallContext call, Func<CancellationToken, Security.WorkloadCredential?, Task> stream)
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
