using Mesh.Kubernetes.Status;
using static Mesh.Kubernetes.Tests.Status.StatusFixtures;

namespace Mesh.Kubernetes.Tests.Status;

public class FleetStatusTests
{
    [Fact]
    public void Counts_the_reached_proxies_that_ACKed_a_response_sent_after_the_change()
    {
        var proxies = new[]
        {
            Proxy("a", Routes(Changed.AddSeconds(1))),
            Proxy("b", Routes(Changed.AddSeconds(-5))),                        // acked, but what it runs predates the change
            Proxy("c", Routes(Changed.AddSeconds(1), acked: false)),           // sent, not answered yet
            Proxy("d", Routes(Changed.AddSeconds(1), names: "ratings.bookinfo.svc.cluster.local:9080")), // not reached
        };
        var fleet = FleetStatus.Of(ReviewsVirtualService(), proxies, Changed);
        Assert.Equal(3, fleet.Reached);
        Assert.Equal(1, fleet.Running);
        Assert.Empty(fleet.Nacks);
    }

    [Fact]
    public void Lists_the_proxies_whose_NACK_is_about_the_object_with_their_error_and_time()
    {
        var proxies = new[]
        {
            Proxy("z", Clusters(Changed.AddSeconds(1), acked: false, nack: $"Cluster {ReviewsV1}: bad tls")),
            Proxy("a", Clusters(Changed.AddSeconds(2), acked: false, nack: $"Cluster {ReviewsV1}: bad tls")),
            Proxy("m", Clusters(Changed.AddSeconds(1), acked: false, nack: "unrelated failure")),
        };
        var fleet = FleetStatus.Of(ReviewsDestinationRule(), proxies, Changed);
        Assert.Equal(["a", "z"], fleet.Nacks.Select(n => n.Proxy));
        Assert.Equal(0, fleet.Running);
        var json = fleet.ToJson();
        Assert.Equal(2, json["nacked"]!.GetValue<int>());
        Assert.Equal("2026-12-06T10:00:02Z", json["nacks"]![0]!["time"]!.GetValue<string>());
        Assert.Contains("bad tls", json["nacks"]![0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public void Quotes_at_most_ten_NACKs_but_counts_them_all()
    {
        var proxies = Enumerable.Range(0, 25).Select(i => Proxy($"p{i:00}", Clusters(Changed, acked: false, nack: $"Cluster {ReviewsV1}: bad")));
        var json = FleetStatus.Of(ReviewsDestinationRule(), proxies, Changed).ToJson();
        Assert.Equal(25, json["nacked"]!.GetValue<int>());
        Assert.Equal(FleetStatus.QuotedNacks, json["nacks"]!.AsArray().Count);
    }
}
