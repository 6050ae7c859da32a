using System.Globalization;

namespace Mesh.TestBackend.Http;

/// <summary>Every path that is not control, health or gRPC: <c>/echo</c>, <c>/status/{code}</c>, <c>/delay/{ms}</c>,
/// <c>/bytes/{n}</c>, and the request echo for anything else, whatever the method.</summary>
public static class OrdinaryEndpoints
{
    private const int ChunkSize = 16 * 1024;
    private static readonly byte[] Chunk = Enumerable.Repeat((byte)'x', ChunkSize).ToArray();

    public static void MapOrdinary(this IEndpointRouteBuilder app) =>
        // A pattern of its own: the default fallback pattern skips paths that look like file names.
        app.MapFallback("{**path}", async (HttpContext context, BackendOptions options) =>
        {
            var request = context.Request;
            var path = request.Path.Value ?? "/";
            if (path == "/echo" && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)))
            {
                await EchoBodyAsync(context);
            }
            else if (TryNumber(path, "/status/", out var status) && status is >= 100 and <= 599)
            {
                await RequestEcho.WriteAsync(context, options, (int)status);
            }
            else if (TryNumber(path, "/delay/", out var ms))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(ms), context.RequestAborted);
                await RequestEcho.WriteAsync(context, options, StatusCodes.Status200OK);
            }
            else if (TryNumber(path, "/bytes/", out var count))
            {
                await WriteBytesAsync(context, count);
            }
            else
            {
                await RequestEcho.WriteAsync(context, options, StatusCodes.Status200OK);
            }
        });

    private static async Task EchoBodyAsync(HttpContext context)
    {
        context.Response.ContentType = "application/octet-stream";
        if (context.Request.ContentLength is { } length)
        {
            context.Response.ContentLength = length;
        }
        await context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task WriteBytesAsync(HttpContext context, long count)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = count;
        for (var left = count; left > 0; left -= ChunkSize)
        {
            await context.Response.Body.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(left, ChunkSize)), context.RequestAborted);
        }
    }

    private static bool TryNumber(string path, string prefix, out long value)
    {
        value = 0;
        return path.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(path.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
