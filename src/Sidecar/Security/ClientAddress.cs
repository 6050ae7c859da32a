using System.Net;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Microsoft.Extensions.Primitives;

namespace Mesh.Sidecar.Security;

/// <summary>How the inbound listener finds the original client's address (what <c>remote_ip</c>, Istio's
/// <c>remoteIpBlocks</c>, matches), as Envoy's HttpConnectionManager does from <c>use_remote_address</c> and
/// <c>xff_num_trusted_hops</c> (Istio's <c>numTrustedProxies</c>). <c>x-forwarded-for</c> is written by whoever sends
/// the request, so only entries appended by trusted proxies count, counted from the right; with none trusted the
/// connection's peer is the client.</summary>
public sealed record ClientAddress(bool UseRemoteAddress, int TrustedHops)
{
    /// <summary>The connection's peer, whatever the request says (what Mesh's control plane sends by default).</summary>
    public static ClientAddress Peer { get; } = new(true, 0);

    public static ClientAddress Of(HttpConnectionManager manager)
        => new(manager.UseRemoteAddress ?? false, (int)Math.Min(manager.XffNumTrustedHops, 64));

    /// <summary>With <c>use_remote_address</c>, the Nth entry from the right for N trusted hops (the peer for none);
    /// without it, the (N+1)th. The peer when <c>x-forwarded-for</c> has too few entries.</summary>
    public IPAddress? Resolve(IPAddress? peer, StringValues forwardedFor)
    {
        var fromRight = UseRemoteAddress ? TrustedHops : TrustedHops + 1;
        if (fromRight == 0) return peer;
        // Counted from the right, over the values as if joined with commas, without splitting the whole header.
        for (var i = forwardedFor.Count - 1; i >= 0; i--)
        {
            var value = (forwardedFor[i] ?? "").AsSpan();
            while (true)
            {
                var comma = value.LastIndexOf(',');
                if (--fromRight == 0) return IPAddress.TryParse(value[(comma + 1)..].Trim(), out var address) ? address : peer;
                if (comma < 0) break;
                value = value[..comma];
            }
        }
        return peer;
    }
}
