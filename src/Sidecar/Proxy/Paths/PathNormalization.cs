using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using EscapedSlashes = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Types.PathWithEscapedSlashesAction;

namespace Mesh.Sidecar.Proxy.Paths;

/// <summary>What an HTTP listener does to a request's path before routing and policy: Envoy's HttpConnectionManager
/// fields <c>normalize_path</c>, <c>merge_slashes</c> and <c>path_with_escaped_slashes_action</c>, the shape Istio's
/// <c>meshConfig.pathNormalization</c> takes on the wire.</summary>
public sealed record PathNormalization(bool Normalize, bool MergeSlashes, EscapedSlashes EscapedSlashes)
{
    /// <summary>A listener that says nothing: Envoy's defaults (no normalization, escaped slashes kept).</summary>
    public static PathNormalization None { get; } = new(false, false, EscapedSlashes.KeepUnchanged);

    /// <summary>Istio's default (<c>BASE</c>).</summary>
    public static PathNormalization Base { get; } = new(true, false, EscapedSlashes.KeepUnchanged);

    public static PathNormalization Of(HttpConnectionManager manager) => new(
        manager.NormalizePath ?? false,
        manager.MergeSlashes,
        // Envoy's implementation-specific default is to keep them.
        manager.PathWithEscapedSlashesAction == EscapedSlashes.ImplementationSpecificDefault ? EscapedSlashes.KeepUnchanged : manager.PathWithEscapedSlashesAction);
}
