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
}
