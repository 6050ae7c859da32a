using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Grains.RateLimits;
using Mesh.Xds.Protos.ApiPolicy;
using Mesh.Xds.Security;

namespace Mesh.Xds.Server;

/// <summary>The lease RPC a gateway's Cluster limits refill from, on the xDS ports (where the gateway already talks to
/// the control plane), authenticated as xDS is: a workload certificate or bearer token on the secured port, loopback
/// only on the plaintext one; only gateways of the ApiPolicy's namespace may lease (<see cref="LeaseEntitlement"/>).
/// Each call is one grain call to the bucket.</summary>
public sealed class RateLimitLeaseService(IGrainFactory grains, WorkloadAuthenticator authenticator) : RateLimitLeases.RateLimitLeasesBase
{
    private const int MaxName = 1024;

    public override async Task<LeaseResponse> Lease(LeaseRequest request, ServerCallContext context)
    {
        var credential = await authenticator.Authenticate(context.GetHttpContext(), context.CancellationToken);
        if (Invalid(request) is { } reason) throw new RpcException(new Status(StatusCode.InvalidArgument, reason));
        if (LeaseEntitlement.Refusal(request.Node, credential?.Identity.Namespace, request.Bucket) is { } refusal)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, refusal));
        }
        var grain = grains.GetGrain<IRateLimitGrain>(IRateLimitGrain.KeyOf(request.Bucket, request.Key));
        var grant = await grain.Lease(new LeaseAsk(request.Tokens, (long)request.MaxTokens, (long)request.TokensPerFill, request.FillInterval.ToTimeSpan()));
        return new LeaseResponse { Granted = (uint)grant.Granted, NextFill = Duration.FromTimeSpan(grant.NextFill) };
    }

    private static string? Invalid(LeaseRequest request) =>
        request.Bucket.Length is 0 or > MaxName || request.Bucket.Contains('|') ? "bucket: required, at most 1024 characters, without '|'"
        : request.Key.Length > MaxName ? "key: at most 1024 characters"
        : request.MaxTokens == 0 || request.MaxTokens > uint.MaxValue ? "max_tokens: 1 to 4294967295"
        : request.FillInterval is null || request.FillInterval.ToTimeSpan() < TimeSpan.FromMilliseconds(50) ? "fill_interval: at least 50ms"
        : null;
}
