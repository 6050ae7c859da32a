using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Mesh.Grains.Security;
using Mesh.Grains.Services;
using Mesh.Xds.Cache;
using Mesh.Xds.Resources;
using Mesh.Xds.Tests.Translation;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Cache;

public sealed class ResourceTranslationTests
{
    private const string Host = Bookinfo.Host;

    private static XdsResource? Translate(string type, string name, PeerAuthentications? peers = null) =>
        ResourceTranslation.OfService(type, name, Bookinfo.Model(Bookinfo.Subsets), peers ?? PeerAuthentications.None, HttpListenerSettings.Default);

    [Theory]
    [InlineData(TypeUrls.Listener, Host + ":9080", typeof(Listener))]
    [InlineData(TypeUrls.Route, Host + ":9080", typeof(RouteConfiguration))]
    [InlineData(TypeUrls.Cluster, "outbound|9080|v2|" + Host, typeof(Cluster))]
    [InlineData(TypeUrls.Endpoint, "outbound|9080|v2|" + Host, typeof(ClusterLoadAssignment))]
    public void EachTypeIsMadeByItsTranslator_SerializedOnce(string type, string name, Type message)
    {
        var resource = Translate(type, name)!;

        Assert.IsType(message, resource.Message);
        Assert.Equal(name, resource.Name);
        Assert.Equal(type, resource.Payload.TypeUrl);
        Assert.Equal(ContentHash.Of(resource.Payload.Value.Span), resource.Version);
    }

    [Fact]
    public void A_VIPs_listener_routes_with_its_hosts_route_configuration_and_has_none_of_its_own()
    {
        var alias = Bookinfo.Model() with { Host = "10.96.0.5", AliasOf = Host };

        var listener = (Listener)ResourceTranslation.OfService(TypeUrls.Listener, "10.96.0.5:9080", alias, PeerAuthentications.None, HttpListenerSettings.Default)!.Message;

        Assert.Equal("10.96.0.5:9080", listener.Name);
        var manager = listener.ApiListener.ApiListener_.Unpack<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>();
        Assert.Equal(Host + ":9080", manager.Rds.RouteConfigName);
        Assert.Null(ResourceTranslation.OfService(TypeUrls.Route, "10.96.0.5:9080", alias, PeerAuthentications.None, HttpListenerSettings.Default));
    }

    [Theory]
    [InlineData(TypeUrls.Listener, Host + ":1234")]
    [InlineData(TypeUrls.Route, Host + ":1234")]
    [InlineData(TypeUrls.Cluster, "outbound|1234||" + Host)]
    [InlineData(TypeUrls.Cluster, "outbound|9080|v9|" + Host)]
    [InlineData(TypeUrls.Listener, "outbound|9080||" + Host)]
    [InlineData(TypeUrls.Cluster, Host + ":9080")]
    [InlineData(TypeUrls.Secret, Host + ":9080")]
    public void ANameTheModelDoesNotMake_HasNoResource(string type, string name) => Assert.Null(Translate(type, name));

    [Theory]
    [InlineData("""["mesh"]""", true)]
    [InlineData("""["istio-system/ingress", "mesh"]""", true)]
    [InlineData("""["istio-system/ingress"]""", false)]
    public void AHostOnlyAVirtualServiceNames_HasListenersOnlyWhenItIsBoundToTheMesh(string gateways, bool served)
    {
        var model = new ServiceModel("shop.example.com", [], [],
            [new ConfigSpec("VirtualService/web/shop", "web", $$$"""{"hosts": ["shop.example.com"], "gateways": {{{gateways}}}, "http": [{"route": [{"destination": {"host": "shop.example.com"}}]}]}""")],
            [], DateTimeOffset.UtcNow);

        var listener = ResourceTranslation.OfService(TypeUrls.Listener, "shop.example.com:80", model, PeerAuthentications.None, HttpListenerSettings.Default);

        Assert.Equal(served, listener is not null);
    }

    [Fact]
    public void Endpoints_ReadThePeerAuthentications_ADisabledWorkloadIsNotSentMtls()
    {
        var model = Bookinfo.Model() with { Ports = [Bookinfo.Model().Ports[0] with { Endpoints = [Bookinfo.V1 with { Labels = new() { [MeshIdentity.TlsModeLabel] = TlsModes.Istio } }] }] };
        PeerAuthentications Peers(string mode) => new(
            new Dictionary<string, IReadOnlyList<ConfigSpec>>
            {
                ["bookinfo"] = [new ConfigSpec("PeerAuthentication/bookinfo/default", "bookinfo", $$$"""{"mtls": {"mode": "{{{mode}}}"}}""")],
                ["istio-system"] = [],
            },
            "istio-system");
        string TlsMode(string mode)
        {
            var assignment = (ClusterLoadAssignment)ResourceTranslation.OfService(TypeUrls.Endpoint, "outbound|9080||" + Host, model, Peers(mode), HttpListenerSettings.Default)!.Message;
            return assignment.Endpoints.Single().LbEndpoints.Single().Metadata.FilterMetadata[SidecarMetadata.Namespace].Fields[SidecarMetadata.TlsMode].StringValue;
        }

        Assert.Equal(TlsModes.Disabled, TlsMode("DISABLE"));
        Assert.Equal(TlsModes.Istio, TlsMode("STRICT"));
    }

    [Fact]
    public void RootCa_IsTheTrustBundle()
    {
        var bundle = new TrustBundle("cluster.local", [new TrustedRoot("-----PEM-----", "ab", "CN=root", DateTimeOffset.MaxValue, true, "generated")], "v1");

        var resource = ResourceTranslation.RootCa(bundle);

        Assert.Equal(SecretNames.RootCa, resource.Name);
        Assert.Equal("-----PEM-----", ((Secret)resource.Message).ValidationContext.TrustedCa.InlineBytes.ToStringUtf8());
    }
}
