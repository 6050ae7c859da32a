using Mesh.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Runtime;
using Orleans.Storage;
using StackExchange.Redis;

namespace Mesh.Silo.Tests.Storage;

public sealed class ReplicatedGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("config", "VirtualService/shop/reviews");

    [Fact]
    public async Task Write_NoReplicaConfirmsIt_FailsAsUnconfirmed_ThoughThePrimaryTookIt()
    {
        using var primary = await LocalRedis.Server();
        await using var connection = new ReplicatedConnection(new RedisStore(primary.Address));
        var storage = Storage(connection, new ReplicaAcks(1, TimeSpan.FromMilliseconds(100)));

        var error = await Assert.ThrowsAsync<ReplicationUnconfirmedException>(() => storage.WriteStateAsync("config", Grain, new GrainState<string>("v1")));

        Assert.Contains("only 0 of the 1 replicas required confirmed it within 100 ms", error.Message);
        Assert.Equal("v1", (string?)await (await connection.Multiplexer).GetDatabase().StringGetAsync(Grain.ToString()));
    }

    [Fact]
    public void Unconfirmed_CrossesSilos_WithItsMessage()
    {
        // A grain's write fails on one silo and the API call that caused it is answered on another: without a codec the
        // caller saw "Could not find a codec" instead of what happened.
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var sent = new ReplicationUnconfirmedException("The write of config reached the Redis primary, but ...");

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(sent));

        Assert.IsType<ReplicationUnconfirmedException>(received);
        Assert.Equal(sent.Message, received.Message);
    }

    [Fact]
    public async Task Write_AReplicaHoldsIt_Returns()
    {
        using var primary = await LocalRedis.Server();
        using var replica = await LocalRedis.Server("--replicaof", "127.0.0.1", primary.Address.Split(':')[1]);
        await using var connection = new ReplicatedConnection(new RedisStore($"{primary.Address},allowAdmin=true"));
        var multiplexer = await connection.Multiplexer;
        // A replica counts for WAIT once its first sync is done (state=online), which on a loaded machine takes seconds.
        var online = false;
        for (var i = 0; i < 600 && !(online = (await multiplexer.GetServer(primary.Address).InfoRawAsync("replication"))!.Contains("state=online")); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(online, "the replica did not finish its first sync within 30 s");
        var storage = Storage(connection, new ReplicaAcks(1, TimeSpan.FromSeconds(5)));

        await storage.WriteStateAsync("config", Grain, new GrainState<string>("v2"));
        await storage.ClearStateAsync("config", Grain, new GrainState<string>("v2"));
    }

    private static ReplicatedGrainStorage Storage(ReplicatedConnection connection, ReplicaAcks acks) =>
        new(new StringStorage(connection), connection, acks, NullLogger<ReplicatedGrainStorage>.Instance);

    /// <summary>Stands in for Orleans' Redis storage: writes through the same connection.</summary>
    private sealed class StringStorage(ReplicatedConnection connection) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            await (await connection.Multiplexer).GetDatabase().StringSetAsync(grainId.ToString(), grainState.State?.ToString());

        public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            await (await connection.Multiplexer).GetDatabase().KeyDeleteAsync(grainId.ToString());
    }
}
