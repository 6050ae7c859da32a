using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

public sealed class ListenerTranslatorTests
{
    [Fact]
    public void Api_listener_uses_RDS_over_ADS_with_fault_then_router()
    {
        var listener = ListenerTranslator.Translate(Bookinfo.Host, Bookinfo.Port, HttpListenerSettings.Default);

        Assert.Equal("reviews.bookinfo.svc.cluster.local:9080", listener.Name);
        var manager = listener.ApiListener.ApiListener_.Unpack<HttpConnectionManager>();
        Assert.Equal("reviews.bookinfo.svc.cluster.local:9080", manager.Rds.RouteConfigName);
        Assert.NotNull(manager.Rds.ConfigSource.Ads);
        Assert.Equal(ApiVersion.V3, manager.Rds.ConfigSource.ResourceApiVersion);
        Assert.Equal(["envoy.filters.http.fault", "envoy.filters.http.router"], manager.HttpFilters.Select(f => f.Name));
        Assert.All(manager.HttpFilters, f => Assert.NotNull(f.TypedConfig));
    }

    [Fact]
    public void Api_listener_whose_routes_have_a_CORS_policy_runs_the_optional_CORS_filter_first()
    {
        var listener = ListenerTranslator.Translate(Bookinfo.Host, Bookinfo.Port, HttpListenerSettings.Default, cors: true);

        var manager = listener.ApiListener.ApiListener_.Unpack<HttpConnectionManager>();
        Assert.Equal(["envoy.filters.http.cors", "envoy.filters.http.fault", "envoy.filters.http.router"], manager.HttpFilters.Select(f => f.Name));
        Assert.True(manager.HttpFilters[0].IsOptional);
        Assert.True(manager.HttpFilters[0].TypedConfig.Is(Envoy.Extensions.Filters.Http.Cors.V3.Cors.Descriptor));
    }

    [Fact]
    public void A_service_listener_has_the_CORS_filter_only_when_a_mesh_route_has_a_CORS_policy()
    {
        static IEnumerable<string> Filters(params string[] virtualServices)
        {
            var resource = Mesh.Xds.Cache.ResourceTranslation.OfService(Mesh.Xds.Resources.TypeUrls.Listener, $"{Bookinfo.Host}:{Bookinfo.Port}",
                Bookinfo.Model(null, virtualServices), Mesh.Xds.Cache.PeerAuthentications.None, HttpListenerSettings.Default)!;
            return ((Envoy.Config.Listener.V3.Listener)resource.Message).ApiListener.ApiListener_.Unpack<HttpConnectionManager>().HttpFilters.Select(f => f.Name);
        }
        const string cors = """[{"corsPolicy": {"allowOrigins": [{"exact": "https://a.example"}]}, "route": [{"destination": {"host": "reviews"}}]}]""";

        Assert.Contains("envoy.filters.http.cors", Filters(Bookinfo.VirtualService(cors)));
        Assert.DoesNotContain("envoy.filters.http.cors", Filters(Bookinfo.VirtualService("""[{"route": [{"destination": {"host": "reviews"}}]}]""")));
        Assert.DoesNotContain("envoy.filters.http.cors", Filters("""{"hosts": ["reviews"], "gateways": ["ingress"], "http": """ + cors + "}"));
    }
}
