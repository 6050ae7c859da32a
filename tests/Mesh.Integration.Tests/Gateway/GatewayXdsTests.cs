using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Net.Client;
using Mesh.Integration.Tests.Embedded;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Gateway;

/// <summary>An Istio Gateway and a VirtualService bound to it, applied to an embedded silo, are served over xDS as the
/// gateway workload's listener and route configuration <c>gateway|NS|WORKLOAD|PORT</c>, and a change is pushed.</summary>
public sealed class GatewayXdsTests(EmbeddedSilo fixture) : IClassFixture<EmbeddedSilo>
{
    internal const string ListenerType = "type.googleapis.com/envoy.config.listener.v3.Listener";
    internal const string RouteType = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    private const string Config = """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: ingress, namespace: edge}
        spec: {address: 10.0.0.9, labels: {istio: ingressgateway}}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: edge}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*/shop.example.com"]
            tls: {httpsRedirect: true}
          - port: {number: 8443, name: https, protocol: HTTPS}
            hosts: ["shop.example.com"]
            tls: {mode: MUTUAL, credentialName: shop-cert, minProtocolVersion: TLSV1_3}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop, namespace: web}
        spec:
          hosts: [shop.example.com]
          gateways: [edge/public]
          http:
          - match: [{uri: {prefix: /api}}]
            route: [{destination: {host: api, port: {number: 8000}}}]
        """;

    [Fact]
    public async Task Gateway_listener_and_routes_are_served_over_xds_and_follow_a_change()
    {
        var apply = await Meshctl.RunWithInput(fixture.Silo.ApiUrl, Config, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Silo.XdsPort}");
        var ads = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
        using var call = ads.StreamAggregatedResources(deadline: DateTime.UtcNow.AddSeconds(60));
        var node = new Node { Id = "router~10.0.0.9~ingress.edge~edge.svc.cluster.local" };

        await call.RequestStream.WriteAsync(Request(node, ListenerType, "gateway|edge|ingress|8443"));
        var listener = (await Next(call)).Resources.Single().Unpack<Listener>();
        var chain = Assert.Single(listener.FilterChains);
        Assert.Equal(["shop.example.com"], chain.FilterChainMatch.ServerNames);
        var tls = chain.TransportSocket.TypedConfig.Unpack<DownstreamTlsContext>();
        Assert.Equal("kubernetes://edge/shop-cert", tls.CommonTlsContext.TlsCertificateSdsSecretConfigs[0].Name);
        Assert.Equal("kubernetes://edge/shop-cert-cacert", tls.CommonTlsContext.ValidationContextSdsSecretConfig.Name);
        Assert.True(tls.RequireClientCertificate);
        Assert.Equal("gateway|edge|ingress|8443", chain.Filters[0].TypedConfig.Unpack<HttpConnectionManager>().Rds.RouteConfigName);

        await call.RequestStream.WriteAsync(Request(node, RouteType, "gateway|edge|ingress|8080"));
        var routes = (await Next(call)).Resources.Single().Unpack<RouteConfiguration>();
        var host = Assert.Single(routes.VirtualHosts);
        Assert.Equal(["shop.example.com", "shop.example.com:8080"], host.Domains);
        Assert.Equal(VirtualHost.Types.TlsRequirementType.All, host.RequireTls);
        Assert.Equal("outbound|8000||api.web.svc.cluster.local", host.Routes.Single().Route_.Cluster);

        // A new route on the bound VirtualService reaches the subscribed gateway.
        var changed = Config.Replace("route: [{destination: {host: api, port: {number: 8000}}}]",
            "route: [{destination: {host: api, port: {number: 8000}}}]\n  - route: [{destination: {host: web, port: {number: 80}}}]");
        var reapply = await Meshctl.RunWithInput(fixture.Silo.ApiUrl, changed, "apply", "-f", "-");
        Assert.True(reapply.ExitCode == 0, reapply.ToString());
        var pushed = await Next(call);
        Assert.Equal(RouteType, pushed.TypeUrl);
        Assert.Equal(["outbound|8000||api.web.svc.cluster.local", "outbound|80||web.web.svc.cluster.local"],
            pushed.Resources.Single().Unpack<RouteConfiguration>().VirtualHosts.Single().Routes.Select(r => r.Route_.Cluster));
    }

    internal static DiscoveryRequest Request(Node node, string typeUrl, string name) => new() { Node = node, TypeUrl = typeUrl, ResourceNames = { name } };

    internal static async Task<DiscoveryResponse> Next(Grpc.Core.AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> call)
    {
        if (!await call.ResponseStream.MoveNext(CancellationToken.None)) throw new InvalidOperationException("the stream ended");
        var response = call.ResponseStream.Current;
        // ACK, as a proxy does, so the next push of this type is sent.
        await call.RequestStream.WriteAsync(new DiscoveryRequest
        {
            TypeUrl = response.TypeUrl, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce,
            ResourceNames = { response.Resources.Select(r => NameOf(response.TypeUrl, r)) },
        });
        return response;
    }

    private static string NameOf(string typeUrl, Google.Protobuf.WellKnownTypes.Any resource) => typeUrl == ListenerType
        ? resource.Unpack<Listener>().Name
        : resource.Unpack<RouteConfiguration>().Name;
}
