using System.Text.Json.Nodes;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>HTTPRedirect</c>.</summary>
public sealed record HttpRedirect(string? Uri, string? Authority, int? Port, string? DerivePort, string? Scheme, int RedirectCode)
{
    /// <summary>Istio's redirect code when none is set (Moved Permanently).</summary>
    public const int DefaultCode = 301;

    internal static HttpRedirect From(JsonObject redirect) => new(
        redirect.Str("uri"), redirect.Str("authority"), (int?)redirect.Long("port"), redirect.Str("derivePort"), redirect.Str("scheme"),
        (int?)redirect.Long("redirectCode") ?? DefaultCode);
}

/// <summary>Istio's <c>HTTPDirectResponse</c>: a status and an optional body, given as text or as base64 bytes.</summary>
public sealed record HttpDirectResponse(int Status, string? BodyString, string? BodyBase64)
{
    internal static HttpDirectResponse From(JsonObject response)
        => new((int)(response.Long("status") ?? 0), response.Obj("body").Str("string"), response.Obj("body").Str("bytes"));
}

/// <summary>Istio's <c>HTTPRewrite</c>: a prefix or a regex rewrite of the path, and the authority.</summary>
public sealed record HttpRewrite(string? Uri, RegexRewrite? UriRegexRewrite, string? Authority)
{
    internal static HttpRewrite From(JsonObject rewrite) => new(
        rewrite.Str("uri"),
        rewrite.Obj("uriRegexRewrite") is { } regex ? new RegexRewrite(regex.Str("match") ?? "", regex.Str("rewrite") ?? "") : null,
        rewrite.Str("authority"));
}

/// <summary>Istio's <c>RegexRewrite</c>: an RE2 pattern and its substitution.</summary>
public sealed record RegexRewrite(string Match, string Rewrite);
