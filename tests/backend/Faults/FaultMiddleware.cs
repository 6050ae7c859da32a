using Mesh.TestBackend.Http;

namespace Mesh.TestBackend.Faults;

/// <summary>Applies the current faults to every ordinary request (HTTP and gRPC; not <c>/_control/*</c> or
/// <c>/healthz</c>): counts it, delays it, and fails the chosen share. A failed gRPC call gets a trailers-only
/// UNAVAILABLE, so that gRPC clients and proxies see a gRPC status rather than a bare HTTP error.</summary>
public sealed class FaultMiddleware(RequestDelegate next, FaultState state, BackendOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsOrdinary(context.Request.Path))
        {
            await next(context);
            return;
        }
        var current = state.Settings;
        var fail = state.CountAndDecideFailure(current);
        if (current.DelayMs > 0)
        {
            await Task.Delay(current.DelayMs, context.RequestAborted);
        }
        if (!fail)
        {
            await next(context);
        }
        else if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "14";
            context.Response.Headers["grpc-message"] = $"backend {options.Name} failed this call on purpose";
        }
        else
        {
            await RequestEcho.WriteAsync(context, options, current.Status);
        }
    }

    private static bool IsOrdinary(PathString path) =>
        !path.StartsWithSegments("/_control") && !path.Equals("/healthz", StringComparison.Ordinal);
}
