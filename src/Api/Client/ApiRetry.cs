using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace Mesh.Api.Client;

/// <summary>What a client of the management API sends again by itself: a call that broke in transport (the silo went
/// away under it: connection refused, reset, or closed by a silo shutting down while the request was on its way) and
/// that does no harm twice. An apply is idempotent (the same content again is Unchanged, or a newer version of the
/// same content), and reads change nothing. A delete is not resent: a second one finds nothing and would say so.</summary>
public static class ApiRetry
{
    private const string ConfigService = "mesh.v1.ConfigService";

    /// <summary>Methods safe to send twice.</summary>
    public static IReadOnlyList<string> Idempotent { get; } = ["Apply", "Get", "List", "History", "GetServiceEndpoints"];

    /// <summary>The channel's retry policy (gRPC's own retries, gRFC A6): up to 4 attempts, 0.25 s to 2 s apart. A call
    /// cut in transport surfaces as UNAVAILABLE (refused) or INTERNAL (a stream the server closed before answering).</summary>
    public static ServiceConfig ServiceConfig { get; } = Build();

    /// <summary>A failure that happened in transport rather than in the server's handler, so another silo can be asked.</summary>
    public static bool IsTransportFailure(RpcException exception) =>
        exception.StatusCode is StatusCode.Unavailable or StatusCode.Internal && exception.Status.DebugException is HttpRequestException or IOException;

    private static ServiceConfig Build()
    {
        var policy = new RetryPolicy
        {
            MaxAttempts = 4,
            InitialBackoff = TimeSpan.FromMilliseconds(250),
            MaxBackoff = TimeSpan.FromSeconds(2),
            BackoffMultiplier = 2,
            RetryableStatusCodes = { StatusCode.Unavailable, StatusCode.Internal },
        };
        var methods = new MethodConfig { RetryPolicy = policy };
        foreach (var method in Idempotent) methods.Names.Add(new MethodName { Service = ConfigService, Method = method });
        return new ServiceConfig { MethodConfigs = { methods } };
    }
}
