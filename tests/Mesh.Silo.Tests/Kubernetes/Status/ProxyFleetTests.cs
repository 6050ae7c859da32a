using Mesh.Grains.Proxies;
using Mesh.Silo.Kubernetes.Status;
using Mesh.Xds.Resources;

namespace Mesh.Silo.Tests.Kubernetes.Status;

public sealed class ProxyFleetTests
{
    private static readonly DateTimeOffset Sent = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Snapshot_AnswerToTheLastResponse_IsAckOrNack()
    {
        var acked = Snapshot(new TypeStatus { TypeUrl = TypeUrls.Route, SentNonce = "2", AckedNonce = "2", NackedNonce = "1", NackError = "old", SentAt = Sent });
        Assert.True(acked.Acked);
        Assert.False(acked.Nacked); // a NACK of an earlier response is over

        var nacked = Snapshot(new TypeStatus { TypeUrl = TypeUrls.Route, SentNonce = "2", AckedNonce = "1", NackedNonce = "2", NackError = "bad", NackedAt = Sent });
        Assert.False(nacked.Acked);
        Assert.Equal("bad", nacked.NackError);
        Assert.Equal(Sent, nacked.NackedAt);

        var unanswered = Snapshot(new TypeStatus { TypeUrl = TypeUrls.Route, SentNonce = "3", AckedNonce = "2" });
        Assert.False(unanswered.Acked || unanswered.Nacked);
    }

    [Fact]
    public void Snapshot_CarriesTheNamesOfTheLastResponse()
    {
        var type = Snapshot(new TypeStatus
        {
            TypeUrl = TypeUrls.Cluster, SentNonce = "1", SentResources = new() { ["outbound|9080||reviews.bookinfo.svc.cluster.local"] = "v1" },
        });
        Assert.Equal(["outbound|9080||reviews.bookinfo.svc.cluster.local"], type.Names);
    }

    private static Mesh.Kubernetes.Status.ProxyTypeSnapshot Snapshot(TypeStatus type) =>
        ProxyFleet.Snapshot(new ProxyStatus { NodeId = "n", Silo = "s", Types = [type] }).Types.Single();
}
