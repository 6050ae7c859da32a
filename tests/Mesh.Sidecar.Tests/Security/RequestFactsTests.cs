using System.Net;
using Mesh.Sidecar.Security;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Security;

public sealed class RequestFactsTests
{
    [Fact]
    public void From_reads_the_connection_the_request_line_and_the_TLS_handshake()
    {
        var facts = TestRequests.Facts();

        Assert.Equal(TestRequests.Peer, facts.PeerPrincipal);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), facts.DirectRemoteIp);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), facts.RemoteIp);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), facts.DestinationIp);
        Assert.Equal(8080, facts.DestinationPort);
        Assert.Equal("api.example.com", facts.RequestedServerName);
        Assert.Equal("GET", facts.Method);
        Assert.Equal("api.example.com", facts.Authority);
        Assert.Equal("/v1/items?page=2", facts.Path);
        Assert.Equal("/v1/items", facts.PathWithoutQuery());
        Assert.Equal(2, facts.Metadata.Count);
    }

    // Envoy's x-forwarded-for rules: with use_remote_address and xff_num_trusted_hops N, the Nth entry from the right
    // (the peer for N = 0); without use_remote_address, the (N+1)th; the peer when there are too few entries. The
    // client writes the left of the header, so with no trusted proxy nothing in it counts.
    [Theory]
    [InlineData(true, 0, "203.0.113.7, 198.51.100.1", "10.1.2.3")]
    [InlineData(true, 1, "203.0.113.7, 198.51.100.1", "198.51.100.1")]
    [InlineData(true, 2, "203.0.113.7, 198.51.100.1", "203.0.113.7")]
    [InlineData(true, 3, "203.0.113.7, 198.51.100.1", "10.1.2.3")]
    [InlineData(true, 1, null, "10.1.2.3")]
    [InlineData(true, 1, "", "10.1.2.3")]
    [InlineData(true, 1, "2001:db8::1", "2001:db8::1")]
    [InlineData(true, 1, "198.51.100.1, not-an-address", "10.1.2.3")]
    [InlineData(false, 0, "203.0.113.7, 198.51.100.1", "198.51.100.1")]
    [InlineData(false, 1, "203.0.113.7, 198.51.100.1", "203.0.113.7")]
    public void The_remote_ip_is_the_peer_unless_proxies_are_trusted(bool useRemoteAddress, int trustedHops, string? forwardedFor, string remote)
    {
        var context = TestRequests.Context();
        context.Request.Headers.Remove("x-forwarded-for");
        if (forwardedFor is not null) context.Request.Headers["x-forwarded-for"] = forwardedFor;

        var facts = RequestFacts.From(context, TestRequests.Peer, TestRequests.Metadata(), new ClientAddress(useRemoteAddress, trustedHops));

        Assert.Equal(IPAddress.Parse(remote), facts.RemoteIp);
    }

    [Fact]
    public void A_client_cannot_choose_its_remote_ip_by_default()
    {
        var context = TestRequests.Context();
        context.Request.Headers["x-forwarded-for"] = "127.0.0.1";

        Assert.Equal(IPAddress.Parse("10.1.2.3"), RequestFacts.From(context, TestRequests.Peer, TestRequests.Metadata()).RemoteIp);
    }

    [Fact]
    public void An_IPv4_peer_on_a_dual_stack_listener_is_seen_as_IPv4()
    {
        var facts = TestRequests.Facts(context =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:10.9.8.7");
            context.Request.Headers.Remove("x-forwarded-for");
        });

        Assert.Equal(IPAddress.Parse("10.9.8.7"), facts.DirectRemoteIp);
        Assert.Equal(IPAddress.Parse("10.9.8.7"), facts.RemoteIp);
    }

    [Fact]
    public void Without_TLS_there_is_no_server_name_and_without_mTLS_no_peer()
    {
        var facts = TestRequests.Facts(context => context.Features.Set<ITlsHandshakeFeature>(null), peer: null);

        Assert.Null(facts.RequestedServerName);
        Assert.Null(facts.PeerPrincipal);
    }

    [Theory]
    [InlineData(":method", "GET")]
    [InlineData(":authority", "api.example.com")]
    [InlineData(":path", "/v1/items?page=2")]
    [InlineData(":scheme", "https")]
    [InlineData(":protocol", null)]
    [InlineData("host", null)]
    [InlineData("Host", null)]
    [InlineData("x-user", "alice")]
    [InlineData("x-multi", "a,b")]
    [InlineData("x-none", null)]
    public void Headers_are_seen_as_Envoy_sees_them(string name, string? value)
    {
        Assert.Equal(value, TestRequests.Facts().Header(name));
    }

    [Fact]
    public void The_path_includes_the_path_base_and_is_never_empty()
    {
        var based = TestRequests.Facts(context => context.Request.PathBase = "/app");
        var empty = TestRequests.Facts(context =>
        {
            context.Request.Path = PathString.Empty;
            context.Request.QueryString = QueryString.Empty;
        });

        Assert.Equal("/app/v1/items?page=2", based.Path);
        Assert.Equal("/", empty.Path);
    }
}
