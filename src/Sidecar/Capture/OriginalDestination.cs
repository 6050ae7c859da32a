using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Sidecar.Capture;

/// <summary>Where a connection redirected by <c>mesh-sidecar capture</c> was going before iptables' REDIRECT sent it
/// to the sidecar: the kernel keeps it in conntrack and gives it back through <c>getsockopt(SO_ORIGINAL_DST)</c>.</summary>
public static class OriginalDestination
{
    // linux/netfilter_ipv4.h SO_ORIGINAL_DST on SOL_IP, linux/netfilter_ipv6/ip6_tables.h IP6T_SO_ORIGINAL_DST on
    // SOL_IPV6: both 80. Socket.GetRawSocketOption passes them through, so no P/Invoke (and nothing for AOT to trim).
    private const int SolIp = 0;
    private const int SolIpv6 = 41;
    private const int OriginalDst = 80;
    private const int SockaddrIn6Size = 28;

    /// <summary>The original destination, or null when the connection was not redirected: no conntrack entry, a kernel
    /// without netfilter, or a tracked connection that came to this address as it is (conntrack then answers with the
    /// socket's own address). The caller then treats the connection as addressed to the sidecar itself.</summary>
    public static IPEndPoint? Of(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var ipv6 = socket.LocalEndPoint is IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } local && !local.Address.IsIPv4MappedToIPv6;
        Span<byte> sockaddr = stackalloc byte[SockaddrIn6Size];
        try
        {
            var length = socket.GetRawSocketOption(ipv6 ? SolIpv6 : SolIp, OriginalDst, sockaddr);
            var original = Parse(sockaddr[..length]);
            return original is null || original.Equals(socket.LocalEndPoint) ? null : original;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>Reads a Linux <c>sockaddr_in</c> or <c>sockaddr_in6</c>: the family in host order, the port in
    /// network order, then the address (after the flow label for IPv6).</summary>
    public static IPEndPoint? Parse(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 8) return null;
        var family = BitConverter.ToUInt16(sockaddr);
        var port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
        return family switch
        {
            2 => new IPEndPoint(new IPAddress(sockaddr.Slice(4, 4)), port),
            10 when sockaddr.Length >= 24 => new IPEndPoint(new IPAddress(sockaddr.Slice(8, 16)), port),
            _ => null,
        };
    }
}
