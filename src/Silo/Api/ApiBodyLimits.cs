using Mesh.Config.Manifests;

namespace Mesh.Silo.Api;

/// <summary>How large a management API request body may be, per method, so that no request costs more memory than
/// its method can use: a manifest for apply, a few fields for everything else.</summary>
public static class ApiBodyLimits
{
    /// <summary>Every method but apply: names, filters, flags (64 KiB, far above any real request).</summary>
    public const int Small = 64 * 1024;

    /// <summary>Apply over gRPC: the manifest limit plus room for the request's other fields.</summary>
    public static readonly int ManifestOverGrpc = ManifestLimits.Default.MaxManifestBytes + Small;

    /// <summary>Apply over HTTP/JSON: the manifest travels as a JSON string (with escapes) or base64 (4/3 of its
    /// size); twice the manifest limit covers both.</summary>
    public static readonly int ManifestOverJson = 2 * ManifestLimits.Default.MaxManifestBytes + Small;

    /// <summary>A secret's certificates, key and CA: 1 MiB, a Kubernetes Secret's limit, plus room for the other fields
    /// (twice that over JSON, where PEM's newlines travel escaped).</summary>
    public const int Secret = 1024 * 1024 + Small;

    /// <summary>The largest body <paramref name="method"/> accepts (for gRPC, the largest message, without framing).</summary>
    public static int For(string method, bool json) =>
        method == Access.ApiPermissions.Apply ? (json ? ManifestOverJson : ManifestOverGrpc)
        : method == Access.ApiPermissions.CreateSecret ? (json ? 2 * Secret : Secret)
        : Small;

    /// <summary>Why a body of <paramref name="size"/> bytes is refused.</summary>
    public static string TooLarge(string method, int limit, long size)
    {
        var what = method == Access.ApiPermissions.Apply
            ? $"; a manifest may be at most {ManifestLimits.Default.MaxManifestBytes} bytes (8 MiB): split it and apply the parts one by one"
            : "";
        return $"the request body of {size} bytes is larger than the limit of {limit} bytes for {method.TrimStart('/')}{what}";
    }
}
