using Envoy.Config.Listener.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Tests.Proxy;
using Mesh.Xds.Resources;
using Resource = Envoy.Service.Discovery.V3.Resource;

namespace Mesh.Sidecar.Tests.Xds;

public sealed class DeltaSessionTests : IAsyncLifetime
{
    private const string Reviews = "reviews.default.svc.cluster.local:9080";
    private InMemoryAds _ads = null!;

    public async Task InitializeAsync() => _ads = await InMemoryAds.Delta();

    public Task DisposeAsync() => _ads.DisposeAsync().AsTask();

    private static DeltaDiscoveryResponse Listeners(string version, string nonce, params Listener[] listeners)
    {
        var response = new DeltaDiscoveryResponse { TypeUrl = TypeUrls.Listener, SystemVersionInfo = version, Nonce = nonce };
        response.Resources.Add(listeners.Select(l => new Resource { Name = l.Name, Version = $"{version}-{l.Name}", Resource_ = Any.Pack(l) }));
        return response;
    }

    private Task<DeltaDiscoveryRequest> Next(string type, Func<DeltaDiscoveryRequest, bool>? match = null)
        => _ads.Next<DeltaDiscoveryRequest>(r => r.TypeUrl == type && (match?.Invoke(r) ?? true));

    [Fact]
    public async Task The_first_request_subscribes_to_every_listener_and_carries_the_node()
    {
        var first = await _ads.Next<DeltaDiscoveryRequest>();

        Assert.Equal(TypeUrls.Listener, first.TypeUrl);
        Assert.Equal(["*"], first.ResourceNamesSubscribe);
        Assert.Empty(first.InitialResourceVersions);
        Assert.Equal(InMemoryAds.Node.Id, first.Node.Id);
    }

    [Fact]
    public async Task An_applied_response_is_acknowledged_by_its_nonce_and_each_resource_keeps_its_version()
    {
        await Next(TypeUrls.Listener);

        _ads.Respond(Listeners("s1", "n1", Outbound.Listener(Reviews, "9080")));

        var subscribe = await Next(TypeUrls.Route);
        Assert.Equal(["9080"], subscribe.ResourceNamesSubscribe);
        var ack = await Next(TypeUrls.Listener, r => r.ResponseNonce == "n1");
        Assert.Null(ack.ErrorDetail);
        Assert.Null(ack.Node);
        Assert.Equal($"s1-{Reviews}", _ads.Store.Current.Resources.Of(TypeUrls.Listener)[Reviews].Version);
        Assert.Equal("s1", _ads.Store.Current.Resources.TypeVersions[TypeUrls.Listener]);
    }

    [Fact]
    public async Task A_resource_that_does_not_decode_is_nacked_naming_it()
    {
        await Next(TypeUrls.Listener);
        var response = new DeltaDiscoveryResponse { TypeUrl = TypeUrls.Listener, SystemVersionInfo = "s1", Nonce = "n1" };
        response.Resources.Add(new Resource { Name = "odd", Resource_ = Any.Pack(new Envoy.Config.Cluster.V3.Cluster()) });

        _ads.Respond(response);

        var nack = await Next(TypeUrls.Listener, r => r.ResponseNonce == "n1");
        Assert.Equal((int)Grpc.Core.StatusCode.InvalidArgument, nack.ErrorDetail.Code);
        Assert.Equal($"odd: a {TypeUrls.Listener} response holds a {TypeUrls.Cluster}", nack.ErrorDetail.Message);
    }

    [Fact]
    public async Task A_removed_resource_is_gone_and_what_only_it_referenced_is_unsubscribed()
    {
        await Next(TypeUrls.Listener);
        _ads.Respond(Listeners("s1", "n1", Outbound.Listener(Reviews, "9080")));
        await Next(TypeUrls.Listener, r => r.ResponseNonce == "n1");

        var removal = new DeltaDiscoveryResponse { TypeUrl = TypeUrls.Listener, SystemVersionInfo = "s2", Nonce = "n2" };
        removal.RemovedResources.Add(Reviews);
        _ads.Respond(removal);

        var unsubscribe = await Next(TypeUrls.Route, r => r.ResourceNamesUnsubscribe.Count > 0);
        Assert.Equal(["9080"], unsubscribe.ResourceNamesUnsubscribe);
        Assert.Null((await Next(TypeUrls.Listener, r => r.ResponseNonce == "n2")).ErrorDetail);
        Assert.Empty(_ads.Store.Current.Listeners);
    }

    [Fact]
    public async Task A_new_stream_tells_the_server_which_versions_the_sidecar_already_holds()
    {
        await Next(TypeUrls.Listener);
        _ads.Respond(Listeners("s1", "n1", Outbound.Listener(Reviews, "9080")));
        await Next(TypeUrls.Listener, r => r.ResponseNonce == "n1");

        DeltaDiscoveryRequest first;
        await using (var again = await InMemoryAds.Delta(_ads.Store))
        {
            first = await again.Next<DeltaDiscoveryRequest>(r => r.TypeUrl == TypeUrls.Listener);
        }

        Assert.Equal(["*"], first.ResourceNamesSubscribe);
        Assert.Equal($"s1-{Reviews}", first.InitialResourceVersions[Reviews]);
    }
}
