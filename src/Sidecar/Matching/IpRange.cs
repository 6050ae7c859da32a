using System.Net;
using System.Net.Sockets;
using Envoy.Config.Core.V3;

namespace Mesh.Sidecar.Matching;

/// <summary>A compiled Envoy <c>CidrRange</c>. The address is masked to the prefix, as Envoy does, so
/// <c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>; an IPv4 range never contains an IPv6 address or the reverse.</summary>
public sealed class IpRange
{
    private readonly IPNetwork _network;

    private IpRange(IPNetwork network) => _network = network;

    public static IpRange Compile(CidrRange? range, string field)
    {
        if (range is null) throw new MatcherConfigException(field, "is required");
        var address = ParseStrict(range.AddressPrefix)
            ?? throw new MatcherConfigException($"{field}.address_prefix", $"\"{range.AddressPrefix}\" is not an IPv4 or IPv6 address");
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = range.PrefixLen ?? 0;
        if (length > bits) throw new MatcherConfigException($"{field}.prefix_len", $"{length} is longer than an {(bits == 32 ? "IPv4" : "IPv6")} address");
        return new IpRange(new IPNetwork(Mask(address, (int)length), (int)length));
    }

    public bool Contains(IPAddress? address) => address is not null && _network.Contains(address);

    /// <summary>Envoy takes addresses in their textual form only (inet_pton): no "10.1" shorthand, no zone ids.</summary>
    private static IPAddress? ParseStrict(string text)
    {
        if (text.Contains('%')) return null;
        if (!IPAddress.TryParse(text, out var address)) return null;
        if (address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3) return null;
        return address;
    }

    private static IPAddress Mask(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
