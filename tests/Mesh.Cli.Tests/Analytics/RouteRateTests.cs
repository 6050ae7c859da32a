using Mesh.Cli.Analytics;

namespace Mesh.Cli.Tests.Analytics;

public sealed class RouteRateTests
{
    /// <summary>A gateway's request series for one route, consumer and status, as the sidecar exports them.</summary>
    private static string Series(string route, string consumer, int status, double requests, double fastRequests, double requestBytes, double responseBytes)
    {
        var labels = $"reporter=\"source\",route_name=\"{route}\",consumer=\"{consumer}\",response_code=\"{status}\"";
        return $$"""
            istio_requests_total{{{labels}}} {{requests}}
            istio_request_duration_milliseconds_bucket{{{labels}},le="10"} {{fastRequests}}
            istio_request_duration_milliseconds_bucket{{{labels}},le="100"} {{requests}}
            istio_request_duration_milliseconds_bucket{{{labels}},le="+Inf"} {{requests}}
            istio_request_duration_milliseconds_sum{{{labels}}} 1
            istio_request_duration_milliseconds_count{{{labels}}} {{requests}}
            istio_request_bytes_sum{{{labels}}} {{requestBytes}}
            istio_response_bytes_sum{{{labels}}} {{responseBytes}}

            """;
    }

    private static Dictionary<TrafficKey, RouteTotals> Scrape(bool byConsumer, params string[] series)
        => RouteTotals.Of(PrometheusText.Parse(string.Concat(series), RouteTotals.Reads), byConsumer);

    private static Dictionary<string, Dictionary<TrafficKey, RouteTotals>> At(string gateway, Dictionary<TrafficKey, RouteTotals> totals) => new() { [gateway] = totals };

    [Fact]
    public void Rates_are_the_increase_between_scrapes_per_second_busiest_first()
    {
        var before = Scrape(false, Series("orders", "acme", 200, 10, 10, 100, 1000), Series("health", "unknown", 200, 5, 5, 0, 50));
        var after = Scrape(false,
            Series("orders", "acme", 200, 26, 18, 420, 9000), Series("orders", "acme", 500, 4, 0, 0, 80),
            Series("health", "unknown", 200, 7, 7, 0, 70));

        var rows = RouteRate.Between(At("gw", before), At("gw", after), seconds: 2);

        Assert.Equal(["orders", "health"], rows.Select(r => r.Route));
        var orders = rows[0];
        Assert.Equal(20, orders.Requests);
        Assert.Equal(10, orders.RequestsPerSecond);
        Assert.Equal(20, orders.ServerErrorPercent);
        Assert.Equal(0, orders.ClientErrorPercent);
        Assert.Equal(160, orders.RequestBytesPerSecond);
        Assert.Equal(4040, orders.ResponseBytesPerSecond);
        // 8 of the 20 at most 10 ms: the median (rank 10) is 2/12 into (10, 100].
        Assert.Equal(10 + 90 * 2.0 / 12, orders.P50Milliseconds!.Value, 9);
        Assert.Equal(["gw"], orders.Gateways);
        Assert.Null(orders.Consumer);
        Assert.Equal(1, rows[1].RequestsPerSecond);
    }

    [Fact]
    public void Gateways_are_summed_and_a_route_idle_in_the_interval_is_left_out()
    {
        var idle = Series("idle", "unknown", 200, 3, 3, 0, 0);
        var before = new Dictionary<string, Dictionary<TrafficKey, RouteTotals>>
        {
            ["a"] = Scrape(false, Series("orders", "acme", 404, 1, 1, 0, 0), idle),
            ["b"] = Scrape(false),
        };
        var after = new Dictionary<string, Dictionary<TrafficKey, RouteTotals>>
        {
            ["a"] = Scrape(false, Series("orders", "acme", 404, 5, 5, 0, 0), idle),
            // A series that appeared during the interval counts from zero.
            ["b"] = Scrape(false, Series("orders", "acme", 200, 4, 4, 0, 0)),
        };

        var row = Assert.Single(RouteRate.Between(before, after, seconds: 1));

        Assert.Equal("orders", row.Route);
        Assert.Equal(["a", "b"], row.Gateways);
        Assert.Equal(8, row.RequestsPerSecond);
        Assert.Equal(50, row.ClientErrorPercent);
    }

    [Fact]
    public void A_counter_that_went_down_is_a_restart_and_counts_from_zero()
    {
        var before = Scrape(false, Series("orders", "acme", 200, 100, 100, 0, 0));
        var after = Scrape(false, Series("orders", "acme", 200, 6, 6, 0, 0));

        var row = Assert.Single(RouteRate.Between(At("gw", before), At("gw", after), seconds: 2));

        Assert.Equal(3, row.RequestsPerSecond);
    }

    [Fact]
    public void By_consumer_each_consumer_of_a_route_is_its_own_row()
    {
        var after = Scrape(true, Series("orders", "acme", 200, 6, 6, 0, 0), Series("orders", "globex", 429, 2, 2, 0, 0));

        var rows = RouteRate.Between(new Dictionary<string, Dictionary<TrafficKey, RouteTotals>>(), At("gw", after), seconds: 1);

        Assert.Equal([("orders", "acme"), ("orders", "globex")], rows.Select(r => (r.Route, r.Consumer!)));
        Assert.Equal(100, rows[1].ClientErrorPercent);
    }

    [Fact]
    public void Series_without_a_route_label_are_not_gateway_traffic()
        => Assert.Empty(RouteTotals.Of(PrometheusText.Parse("istio_requests_total{reporter=\"destination\",response_code=\"200\"} 9"), byConsumer: false));
}
