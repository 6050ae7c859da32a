using Mesh.Api.V1;
using Mesh.Cli.Analytics;
using Mesh.Cli.Input;

namespace Mesh.Cli.Tests.Analytics;

public sealed class GatewayTargetTests
{
    [Theory]
    [InlineData("http://10.0.0.5:15090", "http://10.0.0.5:15090/stats/prometheus")]
    [InlineData("http://10.0.0.5:15090/", "http://10.0.0.5:15090/stats/prometheus")]
    [InlineData("http://10.0.0.5:15090/metrics", "http://10.0.0.5:15090/metrics")]
    public void A_gateway_url_without_a_path_scrapes_stats_prometheus(string url, string expected)
    {
        var target = GatewayTarget.FromUrl(url);

        Assert.Equal(expected, target.Url.ToString());
        Assert.Equal("10.0.0.5:15090", target.Name);
    }

    [Theory]
    [InlineData("10.0.0.5:15090")]
    [InlineData("ftp://10.0.0.5/")]
    public void A_gateway_that_is_not_an_http_url_is_a_usage_error(string url)
        => Assert.Contains("--gateway", Assert.Throws<UsageException>(() => GatewayTarget.FromUrl(url)).Message, StringComparison.Ordinal);

    [Fact]
    public void Only_router_nodes_that_announced_their_metrics_are_scraped()
    {
        var gateway = GatewayTarget.FromProxy(new ProxyStatusEntry { NodeId = "router~10.0.0.5~ingress.istio-system~istio-system.svc.cluster.local", MetricsUrl = "http://10.0.0.5:15090/stats/prometheus" });

        Assert.Equal("ingress.istio-system", gateway!.Name);
        Assert.Null(GatewayTarget.FromProxy(new ProxyStatusEntry { NodeId = "sidecar~10.0.0.6~web.shop~shop.svc.cluster.local", MetricsUrl = "http://10.0.0.6:15090/stats/prometheus" }));
        Assert.Null(GatewayTarget.FromProxy(new ProxyStatusEntry { NodeId = "router~10.0.0.7~old.istio-system~istio-system.svc.cluster.local" }));
    }
}
