using System.Text.Json.Nodes;
using Mesh.Cli.Analytics;

namespace Mesh.Cli.Tests.Analytics;

public sealed class RouteRateOutputTests
{
    private static readonly RouteRate Orders = new("orders", "acme", ["ingress-0.istio-system", "ingress-1.istio-system"], 20, 10, 5, 20, 12.34, null, 160.4, 4040.6);

    [Fact]
    public void The_table_has_a_row_per_route_with_rates_rounded_and_a_dash_for_no_estimate()
    {
        var table = RouteRateOutput.Table([Orders], byConsumer: false).Split('\n');

        Assert.Matches(@"^ROUTE\s+GATEWAYS\s+RPS\s+4XX%\s+5XX%\s+P50\(MS\)\s+P99\(MS\)\s+IN\(B/S\)\s+OUT\(B/S\)$", table[0]);
        Assert.Matches(@"^orders\s+ingress-0.istio-system,ingress-1.istio-system\s+10.0\s+5.0\s+20.0\s+12.3\s+-\s+160\s+4041$", table[1]);
    }

    [Fact]
    public void By_consumer_the_table_has_a_consumer_column()
    {
        var table = RouteRateOutput.Table([Orders], byConsumer: true).Split('\n');

        Assert.StartsWith("ROUTE    CONSUMER   GATEWAYS", table[0], StringComparison.Ordinal);
        Assert.StartsWith("orders   acme       ingress-0", table[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Json_keeps_the_measured_values()
    {
        var json = JsonNode.Parse(RouteRateOutput.Json([Orders], ["ingress-0.istio-system"], 2.01, byConsumer: false))!;

        Assert.Equal(2.01, json["intervalSeconds"]!.GetValue<double>());
        var route = json["routes"]![0]!;
        Assert.Equal("orders", route["route"]!.GetValue<string>());
        Assert.Null(route["consumer"]);
        Assert.Equal(10, route["rps"]!.GetValue<double>());
        Assert.Equal(20, route["serverErrorPercent"]!.GetValue<double>());
        Assert.Equal(12.34, route["p50Ms"]!.GetValue<double>());
        Assert.Null(route["p99Ms"]);
        Assert.Equal(2, route["gateways"]!.AsArray().Count);
    }
}
