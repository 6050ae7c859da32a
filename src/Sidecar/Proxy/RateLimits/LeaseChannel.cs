using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Security;
using Mesh.Xds.Protos.ApiPolicy;

namespace Mesh.Sidecar.Proxy.RateLimits;

/// <summary>The lease RPC's client, to the control plane's xDS port (as the gateway's xDS stream, with its workload
/// certificate once it has one). The channel is opened on first use and again, to the next xDS server, after a failed
/// call, which also picks up a rotated certificate.</summary>
public sealed class LeaseChannel : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private readonly Func<LeaseRequest, Task<LeaseResponse>> _call;
    private readonly Lock _lock = new();
    private GrpcChannel? _channel;
    private int _server;

    public LeaseChannel(SidecarOptions options, WorkloadIdentity identity)
    {
        // The control plane leases only to gateways of the policy's namespace: say which node asks, as on ADS.
        var node = Xds.NodeIdentity.For(options).Id;
        _call = request =>
        {
            request.Node = node;
            return Call(options, identity, request);
        };
    }

    /// <summary>For tests: leases answered by <paramref name="call"/>.</summary>
    internal LeaseChannel(Func<LeaseRequest, Task<LeaseResponse>> call) => _call = call;

    public Task<LeaseResponse> Lease(LeaseRequest request) => _call(request);

    private async Task<LeaseResponse> Call(SidecarOptions options, WorkloadIdentity identity, LeaseRequest request)
    {
        GrpcChannel channel;
        lock (_lock) channel = _channel ??= new ControlPlaneChannel(options, identity).Open(options.XdsServers[_server % options.XdsServers.Count]);
        try
        {
            return await new RateLimitLeases.RateLimitLeasesClient(channel).LeaseAsync(request, deadline: DateTime.UtcNow + Deadline);
        }
        catch (RpcException)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_channel, channel))
                {
                    _channel = null;
                    _server++;
                }
            }
            channel.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        lock (_lock) _channel?.Dispose();
    }
}
