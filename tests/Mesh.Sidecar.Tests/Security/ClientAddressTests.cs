using System.Net;
using Mesh.Sidecar.Security;
using Microsoft.Extensions.Primitives;

namespace Mesh.Sidecar.Tests.Security;

public sealed class ClientAddressTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("10.1.2.3");

    // Entries are counted from the right across repeated x-forwarded-for headers, as if they were joined with commas;
    // an empty entry counts (and is not an address), spaces around an entry do not.
    [Theory]
    [InlineData(3, new[] { "203.0.113.7", "198.51.100.1, 192.0.2.9" }, "203.0.113.7")]
    [InlineData(2, new[] { "203.0.113.7", "198.51.100.1, 192.0.2.9" }, "198.51.100.1")]
    [InlineData(1, new[] { "203.0.113.7", "198.51.100.1, 192.0.2.9" }, "192.0.2.9")]
    [InlineData(4, new[] { "203.0.113.7", "198.51.100.1, 192.0.2.9" }, "10.1.2.3")]
    [InlineData(2, new[] { "203.0.113.7,,192.0.2.9" }, "10.1.2.3")]
    [InlineData(3, new[] { "203.0.113.7,,192.0.2.9" }, "203.0.113.7")]
    [InlineData(2, new[] { "  203.0.113.7 ,192.0.2.9" }, "203.0.113.7")]
    [InlineData(2, new[] { "", "192.0.2.9" }, "10.1.2.3")]
    [InlineData(1, new[] { "192.0.2.9," }, "10.1.2.3")]
    public void Trusted_hops_count_entries_from_the_right(int trustedHops, string[] forwardedFor, string remote)
    {
        var address = new ClientAddress(true, trustedHops).Resolve(Peer, new StringValues(forwardedFor));

        Assert.Equal(IPAddress.Parse(remote), address);
    }

    [Fact]
    public void Without_the_header_the_peer_is_the_client()
        => Assert.Equal(Peer, new ClientAddress(false, 2).Resolve(Peer, StringValues.Empty));
}
