namespace Mesh.TestBackend.Http;

/// <summary>The JSON every ordinary HTTP response carries: who answered, and the request as it arrived, so that a test
/// can see what the sidecars in between did to it.</summary>
public sealed record RequestEcho(
    string Backend,
    string Version,
    string Method,
    string Path,
    string Query,
    string Target,
    string Protocol,
    IReadOnlyDictionary<string, string> Headers)
{
    public static RequestEcho Of(HttpRequest request, BackendOptions options)
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = values.ToString();
        }
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        // The request target byte for byte, as the sidecar forwarded it (Path is Kestrel's decoded form).
        var target = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
        return new RequestEcho(options.Name, options.Version, request.Method, request.Path.Value ?? "/", query, target, request.Protocol, headers);
    }

    /// <summary>Writes the echo with <paramref name="status"/>; statuses that forbid a body (1xx, 204, 304) get none.</summary>
    public static Task WriteAsync(HttpContext context, BackendOptions options, int status)
    {
        context.Response.StatusCode = status;
        if (status is < 200 or 204 or 304)
        {
            return Task.CompletedTask;
        }
        return context.Response.WriteAsJsonAsync(Of(context.Request, options), context.RequestAborted);
    }
}
