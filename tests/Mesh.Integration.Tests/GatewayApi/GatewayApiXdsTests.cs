using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Net.Client;
using Mesh.Integration.Tests.Embedded;
using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.Gateway.GatewayXdsTests;

namespace Mesh.Integration.Tests.GatewayApi;

/// <summary>A Gateway API Gateway and HTTPRoute applied to an embedded silo are served over xDS, through the same
/// translators as Istio's Gateway, to the gateway workload labelled <c>gateway.networking.k8s.io/gateway-name: NAME</c>
/// in the Gateway's namespace; their status shows in <c>meshctl get -o yaml</c>.</summary>
public sealed class GatewayApiXdsTests(EmbeddedSilo fixture) : IClassFixture<EmbeddedSilo>
{
    private const string Config = """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: ingress, namespace: apps}
        spec: {address: 10.0.0.9, labels: {gateway.networking.k8s.io/gateway-name: public}}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: api, namespace: apps}
        spec:
          hosts: [api.apps.svc.cluster.local]
          ports: [{number: 8000, name: http, protocol: HTTP}]
          resolution: STATIC
          endpoints: [{address: 10.0.0.20}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: mesh}
        spec: {controllerName: mesh.dev/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: public, namespace: apps}
        spec:
          gatewayClassName: mesh
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: api, namespace: apps}
        spec:
          parentRefs: [{name: public}]
          hostnames: [shop.example.com]
          rules:
          - matches: [{path: {type: PathPrefix, value: /api}}]
            backendRefs: [{name: api, port: 8000}]
        """;

    [Fact]
    public async Task Gateway_API_listener_and_routes_are_served_to_the_labelled_gateway_workload_and_status_is_visible()
    {
        var apply = await Meshctl.RunWithInput(fixture.Silo.ApiUrl, Config, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Silo.XdsPort}");
        var ads = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
        using var call = ads.StreamAggregatedResources(deadline: DateTime.UtcNow.AddSeconds(60));
        var node = new Node { Id = "router~10.0.0.9~ingress.apps~apps.svc.cluster.local" };

        await call.RequestStream.WriteAsync(Request(node, ListenerType, "gateway|apps|ingress|8080"));
        var listener = (await Next(call)).Resources.Single().Unpack<Listener>();
        var chain = Assert.Single(listener.FilterChains);
        Assert.Equal("gateway|apps|ingress|8080", chain.Filters[0].TypedConfig.Unpack<HttpConnectionManager>().Rds.RouteConfigName);

        await call.RequestStream.WriteAsync(Request(node, RouteType, "gateway|apps|ingress|8080"));
        var routes = (await Next(call)).Resources.Single().Unpack<RouteConfiguration>();
        var host = Assert.Single(routes.VirtualHosts);
        Assert.Equal(["shop.example.com", "shop.example.com:8080"], host.Domains);
        // PathPrefix /api matches on segment boundaries: the exact path, and the prefix /api/.
        Assert.Equal(["/api", "/api/"], host.Routes.Select(r => r.Match.Path is { Length: > 0 } path ? path : r.Match.Prefix));
        Assert.All(host.Routes, r => Assert.Equal("outbound|8000||api.apps.svc.cluster.local", r.Route_.Cluster));

        var yaml = "";
        await Timeouts.Until(async () =>
        {
            yaml = (await Meshctl.Run(fixture.Silo.ApiUrl, ["get", "httproute", "api", "-n", "apps", "-o", "yaml"])).Stdout;
            return yaml.Contains("status:") && yaml.Contains("ResolvedRefs");
        }, TimeSpan.FromSeconds(20), "the route's status in meshctl get");
        Assert.Contains("generation: 1", yaml);
        Assert.Contains("observedGeneration: 1", yaml);
        Assert.Contains("controllerName: mesh.dev/gateway-controller", yaml);
    }
}
