using System.Text.Json.Nodes;
using Mesh.Config.Views.DestinationRules;

namespace Mesh.Config.Tests.Views.DestinationRules;

public sealed class DestinationRuleViewTests
{
    private static DestinationRuleView View(string json) => DestinationRuleView.From(JsonNode.Parse(json)!.AsObject());

    [Theory]
    [InlineData("reviews", "reviews.shop.svc.cluster.local")]
    [InlineData("api.example.com", "api.example.com")]
    public void QualifiedHost_QualifiesShortNamesInTheRulesNamespace(string host, string expected)
    {
        Assert.Equal(expected, View($$"""{"host": "{{host}}"}""").QualifiedHost("shop"));
    }

    [Fact]
    public void A_rule_with_only_a_host_has_no_policy_and_no_subsets()
    {
        var view = View("""{"host": "reviews"}""");

        Assert.Null(view.TrafficPolicy);
        Assert.Empty(view.Subsets);
    }

    [Fact]
    public void Subsets_read_name_labels_and_their_own_policy()
    {
        var view = View("""
            {"host": "reviews", "subsets": [
              {"name": "v1", "labels": {"version": "v1"}, "trafficPolicy": {"loadBalancer": {"simple": "RANDOM"}}},
              {"name": "any"}]}
            """);

        Assert.Equal(["v1", "any"], view.Subsets.Select(s => s.Name));
        Assert.Equal("v1", view.Subsets[0].Labels["version"]);
        Assert.Equal("RANDOM", view.Subsets[0].TrafficPolicy!.LoadBalancer!.Simple);
        Assert.Empty(view.Subsets[1].Labels);
        Assert.Null(view.Subsets[1].TrafficPolicy);
    }

    [Fact]
    public void Traffic_policy_reads_each_setting_and_port_level_settings()
    {
        var policy = View("""
            {"host": "reviews", "trafficPolicy": {
              "connectionPool": {"tcp": {"maxConnections": 10}, "http": {"http2MaxRequests": 20}},
              "outlierDetection": {"consecutiveErrors": 5, "interval": "10s"},
              "tls": {"mode": "SIMPLE", "subjectAltNames": ["a"]},
              "portLevelSettings": [{"port": {"number": 9080}, "loadBalancer": {"simple": "ROUND_ROBIN"}}]}}
            """).TrafficPolicy!;

        Assert.Equal(new ConnectionPoolSettings(10, null, 20, null), policy.ConnectionPool);
        Assert.Equal((5L, 10_000_000_000L), (policy.OutlierDetection!.Consecutive5xxErrors!.Value, policy.OutlierDetection.IntervalNanos!.Value));
        Assert.Equal(("SIMPLE", "a"), (policy.Tls!.Mode, Assert.Single(policy.Tls.SubjectAltNames)));
        Assert.Null(policy.Tls.InsecureSkipVerify);
        Assert.Null(policy.LoadBalancer);
        var port = Assert.Single(policy.PortLevelSettings);
        Assert.Equal((9080, "ROUND_ROBIN"), (port.Port!.Value, port.LoadBalancer!.Simple));
    }

    [Theory]
    [InlineData("""{"httpHeaderName": "x-user"}""", "x-user", false, null)]
    [InlineData("""{"useSourceIp": true, "ringHash": {"minimumRingSize": 1024}}""", null, true, 1024L)]
    [InlineData("""{"useSourceIp": true, "minimumRingSize": 512}""", null, true, 512L)]
    public void Consistent_hash_reads_what_to_hash_and_the_ring_size(string hash, string? header, bool sourceIp, long? ring)
    {
        var read = View("""{"host": "r", "trafficPolicy": {"loadBalancer": {"consistentHash": """ + hash + "}}}").TrafficPolicy!.LoadBalancer!.ConsistentHash!;

        Assert.Equal((header, sourceIp, ring), (read.HttpHeaderName, read.UseSourceIp, read.MinimumRingSize));
    }

    [Fact]
    public void Cookie_hash_reads_name_path_and_ttl()
    {
        var cookie = View("""{"host": "r", "trafficPolicy": {"loadBalancer": {"consistentHash": {"httpCookie": {"name": "s", "ttl": "1s"}}}}}""")
            .TrafficPolicy!.LoadBalancer!.ConsistentHash!.HttpCookie;

        Assert.Equal(new HttpCookie("s", null, 1_000_000_000), cookie);
    }
}
