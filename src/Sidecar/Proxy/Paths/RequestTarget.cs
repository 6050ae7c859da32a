using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Sidecar.Proxy.Paths;

/// <summary>The request's path as Envoy's <c>:path</c> holds it: taken once from the request target as the client
/// sent it (not from Kestrel's decoded <see cref="HttpRequest.Path"/>), normalized by the listener's settings, and put
/// back in <see cref="HttpRequest.Path"/>, so that routing, JWT rules, RBAC, rewrites, telemetry and the upstream
/// request all see the same percent-encoded path. Nothing downstream may decode or re-encode it.</summary>
public static class RequestTarget
{
    /// <summary>Normalizes the request's path once, before anything reads it; answers the request itself (400 for a
    /// path Envoy refuses, 307 to the unescaped path for UNESCAPE_AND_REDIRECT) and returns false when it must stop.</summary>
    public static async Task<bool> Apply(HttpContext context, PathNormalization settings)
    {
        switch (Normalize(context, settings))
        {
            case PathVerdict.Forward:
                return true;
            case PathVerdict.Redirect when !Config.Grpc.IsGrpc(context.Request):
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = context.Request.Path.Value + context.Request.QueryString.Value;
                return false;
            default:
                // gRPC gets INTERNAL, as from Envoy.
                await LocalReply.Send(context, StatusCodes.Status400BadRequest, "Bad Request", "-");
                return false;
        }
    }

    public static PathVerdict Normalize(HttpContext context, PathNormalization settings)
    {
        if (Path(context) is not { } raw) return PathVerdict.Forward;
        var normalized = PathNormalizer.Normalize(raw, settings);
        if (normalized.Verdict != PathVerdict.Reject) context.Request.Path = new PathString(normalized.Path);
        return normalized.Verdict;
    }

    /// <summary>Puts the path as sent back in <see cref="HttpRequest.Path"/>, untouched (no listener: no normalization).</summary>
    public static void UseRaw(HttpContext context)
    {
        if (Path(context) is { } raw) context.Request.Path = new PathString(raw);
    }

    /// <summary>The upstream URI: <paramref name="prefix"/> and the path and query exactly as given (already encoded),
    /// which <see cref="Uri"/> would otherwise canonicalize (dot segments, backslashes, escapes).</summary>
    public static Uri Upstream(string prefix, string path, string? query)
        => new(prefix.TrimEnd('/') + path + query, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    /// <summary>The path part of the request target as sent (origin form, or the path of an absolute-form target), or
    /// null when the target has none (<c>*</c>, authority form).</summary>
    private static string? Path(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target)) return null;
        if (target[0] != '/')
        {
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0) return null;
            var start = target.AsSpan(scheme + 3).IndexOfAny('/', '?', '#');
            if (start < 0 || target[scheme + 3 + start] != '/') return "/";
            target = target[(scheme + 3 + start)..];
        }
        var end = target.AsSpan().IndexOfAny('?', '#');
        return end < 0 ? target : target[..end];
    }
}
