using System.Text;
using Mesh.Sidecar.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy;

/// <summary>Responses the sidecar makes itself: its own replies in Envoy's words (no route, overflow, timeout, fault
/// abort), where a gRPC request gets a trailers-only gRPC status instead, with the HTTP status mapped as Envoy maps it;
/// and a route's redirect or direct response.</summary>
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

    /// <summary>A route's redirect: each part of the location the route does not set is the request's own; the port
    /// is kept only when neither host nor scheme changes.</summary>
    public static void Redirect(HttpContext context, RedirectAction redirect)
    {
        var request = context.Request;
        var authority = request.Host;
        var scheme = redirect.Scheme ?? request.Scheme;
        var host = redirect.Host ?? authority.Host;
        var targetPort = redirect.Port ?? (redirect.Host is null && redirect.Scheme is null ? authority.Port : null);
        var path = redirect.Path ?? (redirect.PrefixRewrite is { } prefix ? prefix + (request.Path.Value ?? "") : request.Path.Value ?? "/");
        var query = redirect.StripQuery || (redirect.Path?.Contains('?') ?? false) ? "" : request.QueryString.Value;
        var location = $"{scheme}://{host}{(targetPort is { } p ? ":" + p : "")}{path}{query}";
        context.Response.StatusCode = redirect.StatusCode;
        context.Response.Headers.Location = location;
    }

    /// <summary>A route's direct response: its status, and its body as plain text when it has one.</summary>
    public static async Task Direct(HttpContext context, DirectResponse direct)
    {
        context.Response.StatusCode = direct.Status;
        if (direct.Body is { } body)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(body);
        }
    }
}
