using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Envoy.Config.Core.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio's IP blocks (<c>10.0.0.0/16</c>, or a bare address meaning /32 or /128) → Envoy CIDR ranges.</summary>
internal static class CidrRanges
{
    public static CidrRange? Parse(string block)
    {
        var slash = block.IndexOf('/');
        var address = slash < 0 ? block : block[..slash];
        if (!IPAddress.TryParse(address, out var ip)) return null;
        var bits = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128u : 32u;
        var length = bits;
        if (slash >= 0 && (!uint.TryParse(block[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits))
        {
            return null;
        }
        return new CidrRange { AddressPrefix = address, PrefixLen = length };
    }
}
