using Google.Protobuf;
using Grpc.Core;

namespace Mesh.Silo.Api;

/// <summary>Answers a management API request with an error status before its handler runs (and so before anything
/// reads its body): on gRPC a trailers-only response, on HTTP/JSON the status as JSON, the shape JSON transcoding
/// gives a handler's errors.</summary>
public static class ApiRefusal
{
    public static Task Write(HttpContext context, bool json, Status status, int? httpStatus = null)
    {
        var response = context.Response;
        if (json)
        {
            response.StatusCode = httpStatus ?? HttpStatus(status.StatusCode);
            response.ContentType = "application/json; charset=utf-8";
            // RFC 9110, 11.6.1: a 401 names the scheme it wants.
            if (status.StatusCode == StatusCode.Unauthenticated) response.Headers.WWWAuthenticate = "Bearer";
            var body = new Google.Rpc.Status { Code = (int)status.StatusCode, Message = status.Detail };
            return response.WriteAsync(JsonFormatter.Default.Format(body));
        }
        Mesh.Hosting.GrpcTrailersOnly.Write(response, (int)status.StatusCode, status.Detail);
        return Task.CompletedTask;
    }

    private static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.ResourceExhausted => StatusCodes.Status413PayloadTooLarge,
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
