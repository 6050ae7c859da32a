using Mesh.Silo.Hosting;
using Mesh.Silo.Storage;

namespace Mesh.Silo.Tests.Storage;

public sealed class RedisStoreTests
{
    [Fact]
    public void HostPort_IsOneServer_AndWritesWaitForNoReplica()
    {
        var store = new RedisStore("127.0.0.1:6379");

        Assert.False(store.UsesSentinels);
        Assert.Equal(0, new MeshOptions().ReplicaAcksFor(store));
    }

    [Fact]
    public void SentinelForm_NamesTheService_AndWritesWaitForOneReplicaByDefault()
    {
        var store = new RedisStore("10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379,serviceName=mesh");

        Assert.True(store.UsesSentinels);
        Assert.Equal("mesh", store.ServiceName);
        Assert.Equal(3, store.Options().EndPoints.Count);
        Assert.Equal(1, new MeshOptions().ReplicaAcksFor(store));
        Assert.Equal(0, new MeshOptions { RedisReplicaAcks = 0 }.ReplicaAcksFor(store));
    }

    [Fact]
    public void Options_AreACopyPerProvider()
    {
        // StackExchange.Redis rewrites a Sentinel configuration's endpoints when it connects.
        var store = new RedisStore("10.0.0.1:26379,serviceName=mesh");

        Assert.NotSame(store.Options(), store.Options());
        Assert.False(store.Options().AbortOnConnectFail);
    }

    [Theory]
    [InlineData("serviceName=mesh", "names no server")]
    [InlineData("127.0.0.1:6379,connectTimeout=soon", "is not a Redis configuration")]
    public void Unusable_SaysWhat(string configuration, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RedisStore(configuration));

        Assert.Contains(expected, error.Message);
    }
}
