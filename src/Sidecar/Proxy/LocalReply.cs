using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy;

/// <summary>Responses the sidecar makes itself (no route, overflow, timeout, fault abort), in Envoy's words. A gRPC
/// request gets a trailers-only gRPC status instead, with the HTTP status mapped as Envoy maps it.</summary>
public static class LocalReply
{
    public static async Task Send(HttpContext context, int status, string body, string flags, int? grpcStatus = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        context.Items[RequestItems.ResponseFlags] = flags;
        context.Response.Headers.Clear();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (Config.Grpc.IsGrpc(context.Request))
        {
            Mesh.Hosting.GrpcTrailersOnly.Write(context.Response, grpcStatus ?? GrpcStatusOf(status), body);
            context.Items[RequestItems.GrpcStatus] = grpcStatus ?? GrpcStatusOf(status);
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    /// <summary>Envoy's <c>httpToGrpcStatus</c>.</summary>
    public static int GrpcStatusOf(int status) => status switch
    {
        400 => 13,
        401 => 16,
        403 => 7,
        404 => 12,
        429 or 502 or 503 or 504 => 14,
        _ => 2,
    };
}

/// <summary>What the proxy notes on a request for telemetry and the access log.</summary>
public static class RequestItems
{
    public const string ResponseFlags = "mesh.flags";
    public const string GrpcStatus = "mesh.grpc_status";
    public const string UpstreamCluster = "mesh.cluster";
    public const string UpstreamHost = "mesh.upstream";
    public const string Route = "mesh.route";
    public const string Service = "mesh.service";
    public const string DestinationWorkload = "mesh.destination_workload";
    public const string DestinationNamespace = "mesh.destination_namespace";
    public const string Attempts = "mesh.attempts";
}
