using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EscapedSlashes = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Types.PathWithEscapedSlashesAction;

namespace Mesh.Xds.Translation;

/// <summary>Mesh-wide settings every sidecar HTTP listener carries, in the HttpConnectionManager fields Envoy reads:
/// Istio's <c>meshConfig.pathNormalization.normalization</c> and <c>numTrustedProxies</c>.</summary>
public sealed record HttpListenerSettings(string PathNormalization, int TrustedProxies)
{
    /// <summary>Istio's levels; <c>DEFAULT</c> is <c>BASE</c>.</summary>
    public static IReadOnlyList<string> Levels { get; } = ["NONE", "BASE", "MERGE_SLASHES", "DECODE_AND_MERGE_SLASHES", "DEFAULT"];

    /// <summary>Istio's defaults: BASE normalization, no trusted proxy (the connection's peer is the client).</summary>
    public static HttpListenerSettings Default { get; } = new("BASE", 0);

    public static HttpListenerSettings Of(XdsOptions options) => new(options.PathNormalization.ToUpperInvariant(), options.NumTrustedProxies);

    /// <summary>What is wrong with the options, or null.</summary>
    public static string? Problem(XdsOptions options)
    {
        if (!Levels.Contains(options.PathNormalization.ToUpperInvariant()))
        {
            return $"--path-normalization '{options.PathNormalization}' is not one of {string.Join(", ", Levels)}";
        }
        return options.NumTrustedProxies is < 0 or > 64 ? $"--num-trusted-proxies {options.NumTrustedProxies} must be between 0 and 64" : null;
    }

    /// <summary>Istio's mapping of each level: NONE turns normalization off; BASE is RFC 3986 normalization
    /// (<c>normalize_path</c>); MERGE_SLASHES adds <c>merge_slashes</c>; DECODE_AND_MERGE_SLASHES also decodes
    /// <c>%2F</c> and <c>%5C</c> first (<c>UNESCAPE_AND_FORWARD</c>). Escaped slashes are otherwise kept.</summary>
    public void ApplyPaths(HttpConnectionManager manager)
    {
        manager.PathWithEscapedSlashesAction = EscapedSlashes.KeepUnchanged;
        switch (PathNormalization)
        {
            case "NONE":
                manager.NormalizePath = false;
                break;
            case "MERGE_SLASHES":
                manager.NormalizePath = true;
                manager.MergeSlashes = true;
                break;
            case "DECODE_AND_MERGE_SLASHES":
                manager.NormalizePath = true;
                manager.MergeSlashes = true;
                manager.PathWithEscapedSlashesAction = EscapedSlashes.UnescapeAndForward;
                break;
            default:
                manager.NormalizePath = true;
                break;
        }
    }

    /// <summary>The inbound listener: paths as above, and the client address from the peer, or from the
    /// <c>x-forwarded-for</c> entry the trusted proxies appended (Envoy's <c>use_remote_address</c> with
    /// <c>xff_num_trusted_hops</c>).</summary>
    public void ApplyInbound(HttpConnectionManager manager)
    {
        ApplyPaths(manager);
        manager.UseRemoteAddress = true;
        manager.XffNumTrustedHops = (uint)TrustedProxies;
    }
}
