using Envoy.Config.Listener.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Tests.Proxy;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Tests.Xds;

public sealed class SotwSessionTests : IAsyncLifetime
{
    private const string Reviews = "reviews.default.svc.cluster.local:9080";
    private InMemoryAds _ads = null!;

    public async Task InitializeAsync() => _ads = await InMemoryAds.Sotw();

    public Task DisposeAsync() => _ads.DisposeAsync().AsTask();

    private static DiscoveryResponse Listeners(string version, string nonce, params Listener[] listeners)
    {
        var response = new DiscoveryResponse { TypeUrl = TypeUrls.Listener, VersionInfo = version, Nonce = nonce };
        response.Resources.Add(listeners.Select(Any.Pack));
        return response;
    }

    private Task<DiscoveryRequest> Next(string type) => _ads.Next<DiscoveryRequest>(r => r.TypeUrl == type);

    [Fact]
    public async Task The_first_request_asks_for_every_listener_and_alone_carries_the_node()
    {
        var first = await _ads.Next<DiscoveryRequest>();

        Assert.Equal(TypeUrls.Listener, first.TypeUrl);
        Assert.Equal(["*"], first.ResourceNames);
        Assert.Equal(("", ""), (first.VersionInfo, first.ResponseNonce));
        Assert.Equal(InMemoryAds.Node.Id, first.Node.Id);

        _ads.Respond(Listeners("v1", "n1", Outbound.Listener(Reviews, "9080")));
        var ack = await Next(TypeUrls.Listener);
        Assert.Null(ack.Node);
        Assert.Equal(1, _ads.Connected);
    }

    [Fact]
    public async Task An_applied_response_is_acknowledged_with_its_version_and_nonce_and_what_it_references_is_asked_for()
    {
        await Next(TypeUrls.Listener);

        _ads.Respond(Listeners("v1", "n1", Outbound.Listener(Reviews, "9080")));

        var routes = await Next(TypeUrls.Route);
        Assert.Equal(["9080"], routes.ResourceNames);
        var ack = await Next(TypeUrls.Listener);
        Assert.Equal(("v1", "n1"), (ack.VersionInfo, ack.ResponseNonce));
        Assert.Null(ack.ErrorDetail);
        Assert.Equal(["*"], ack.ResourceNames);
        Assert.True(_ads.Store.Current.Listeners.ContainsKey(Reviews));
    }

    [Fact]
    public async Task A_refused_response_is_nacked_with_the_last_good_version_its_nonce_and_why()
    {
        await Next(TypeUrls.Listener);
        _ads.Respond(Listeners("v1", "n1", Outbound.Listener(Reviews, "9080")));
        await Next(TypeUrls.Listener);

        _ads.Respond(Listeners("v2", "n2", new Listener { Name = "broken:80" }));

        var nack = await Next(TypeUrls.Listener);
        Assert.Equal(("v1", "n2"), (nack.VersionInfo, nack.ResponseNonce));
        Assert.Equal((int)Grpc.Core.StatusCode.InvalidArgument, nack.ErrorDetail.Code);
        Assert.Contains("Listener broken:80: no HTTP connection manager", nack.ErrorDetail.Message);
        Assert.True(_ads.Store.Current.Listeners.ContainsKey(Reviews));
        Assert.Equal("v1", _ads.Store.Current.Resources.TypeVersions[TypeUrls.Listener]);
    }

    [Fact]
    public async Task A_response_that_does_not_decode_is_nacked_and_changes_nothing()
    {
        await Next(TypeUrls.Listener);
        var response = Listeners("v1", "n1");
        response.Resources.Add(Any.Pack(new Envoy.Config.Cluster.V3.Cluster { Name = "c" }));

        _ads.Respond(response);

        var nack = await Next(TypeUrls.Listener);
        Assert.Equal(("", "n1"), (nack.VersionInfo, nack.ResponseNonce));
        Assert.Equal($"a {TypeUrls.Listener} response holds a {TypeUrls.Cluster}", nack.ErrorDetail.Message);
        Assert.Empty(_ads.Store.Current.Listeners);
    }

    [Fact]
    public async Task A_listener_response_is_complete_so_a_held_listener_it_lacks_is_gone()
    {
        await Next(TypeUrls.Listener);
        _ads.Respond(Listeners("v1", "n1", Outbound.Listener(Reviews, "9080"), Outbound.Listener("ratings.default.svc.cluster.local:9080", "9080")));
        await Next(TypeUrls.Listener);

        _ads.Respond(Listeners("v2", "n2", Outbound.Listener(Reviews, "9080")));

        var ack = await Next(TypeUrls.Listener);
        Assert.Equal(("v2", "n2"), (ack.VersionInfo, ack.ResponseNonce));
        Assert.Equal([Reviews], _ads.Store.Current.Listeners.Keys);
        Assert.True(_ads.Store.Current.Resources.IsMissing(TypeUrls.Listener, "ratings.default.svc.cluster.local:9080"));
    }

    [Fact]
    public async Task A_listener_asked_for_on_demand_is_named_in_the_subscription()
    {
        await Next(TypeUrls.Listener);
        _ads.Respond(Listeners("v1", "n1"));
        await Next(TypeUrls.Listener);

        _ = _ads.Store.Discover(Reviews, TimeSpan.FromSeconds(5), CancellationToken.None);

        var request = await Next(TypeUrls.Listener);
        Assert.Equal(["*", Reviews], request.ResourceNames);
        Assert.Equal(("v1", "n1"), (request.VersionInfo, request.ResponseNonce));
    }

    [Fact]
    public async Task Closing_ends_the_request_side_so_the_server_sees_a_graceful_end()
    {
        using var closing = new CancellationTokenSource();
        var ads = await InMemoryAds.Sotw(closing: closing.Token);
        await ads.Next<DiscoveryRequest>();

        await closing.CancelAsync();
        ads.End();

        Assert.False(await ads.Running);
        Assert.True(ads.RequestsCompleted);
    }
}
