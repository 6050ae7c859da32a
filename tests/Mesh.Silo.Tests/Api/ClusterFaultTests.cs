using Mesh.Silo.Api;
using Mesh.Silo.Storage;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using StackExchange.Redis;

namespace Mesh.Silo.Tests.Api;

public sealed class ClusterFaultTests
{
    public static TheoryData<Exception, ClusterFaultKind> Faults => new()
    {
        { new SiloUnavailableException("The target silo became unavailable for message"), ClusterFaultKind.OutcomeUnknown },
        { new TimeoutException("Response did not arrive on time"), ClusterFaultKind.OutcomeUnknown },
        { new InconsistentStateException("etag mismatch"), ClusterFaultKind.OutcomeUnknown },
        { new Orleans.Persistence.Redis.RedisStorageException("write failed"), ClusterFaultKind.OutcomeUnknown },
        { new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is active"), ClusterFaultKind.OutcomeUnknown },
        { new ConnectionFailedException("Unable to connect to S127.0.0.1:11111:1"), ClusterFaultKind.NotDelivered },
        { new GatewayTooBusyException("busy"), ClusterFaultKind.NotDelivered },
        { new AggregateException(new SiloUnavailableException("gone")), ClusterFaultKind.OutcomeUnknown },
        { new InvalidOperationException("wrapped", new ConnectionFailedException("refused")), ClusterFaultKind.NotDelivered },
        { new ReplicationUnconfirmedException("no replica confirmed it"), ClusterFaultKind.OutcomeUnknown },
        { new OrleansException("Error from storage provider", new ReplicationUnconfirmedException("no replica")), ClusterFaultKind.OutcomeUnknown },
        {
            new OrleansException("Trying to register service/reviews.shop.svc.cluster.local on invalid silo: S127.0.0.1:45721:155597734. Known status: Dead"),
            ClusterFaultKind.NotDelivered
        },
        { new OrleansException("Some other failure"), ClusterFaultKind.None },
        { new InvalidOperationException("a bug"), ClusterFaultKind.None },
        { new ArgumentException("bad input"), ClusterFaultKind.None },
    };

    [Theory, MemberData(nameof(Faults))]
    public void Classify_ReadsTheFault(Exception exception, ClusterFaultKind expected) =>
        Assert.Equal(expected, ClusterFault.Classify(exception));

    [Fact]
    public void Reason_NamesTheSiloOrTheStore()
    {
        Assert.Contains("stopped answering", ClusterFault.Reason(new SiloUnavailableException("gone")));
        Assert.Contains("did not answer in time", ClusterFault.Reason(new TimeoutException()));
        Assert.Contains("store (Redis)", ClusterFault.Reason(new InconsistentStateException("lost reply")));
        Assert.Contains("no replica confirmed it", ClusterFault.Reason(new ReplicationUnconfirmedException("unconfirmed")));
        Assert.Contains("declared dead", ClusterFault.Reason(new OrleansException("Trying to register x on invalid silo: S1. Known status: Dead")));
    }
}
