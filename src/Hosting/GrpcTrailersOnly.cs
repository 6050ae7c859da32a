using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Mesh.Hosting;

/// <summary>A gRPC error answered without a handler (a refused call, a sidecar's local reply): a trailers-only
/// response, HTTP 200 with the status in the headers, as gRPC over HTTP/2 allows.</summary>
public static class GrpcTrailersOnly
{
    public static void Write(HttpResponse response, int status, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.ToString(CultureInfo.InvariantCulture);
        // grpc-message is percent-encoded; clients decode any %XX.
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }
}
