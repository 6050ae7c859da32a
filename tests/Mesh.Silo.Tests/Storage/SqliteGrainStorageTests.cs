using Mesh.Grains.Config;
using Mesh.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Mesh.Silo.Tests.Storage;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private const string StateName = "config";

    private static readonly IGrainStorageSerializer Serializer = CreateSerializer();

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"mesh-sqlite-{Guid.NewGuid():N}");
    private readonly GrainId _grain = GrainId.Create("config", "DestinationRule/shop/reviews");

    [Fact]
    public async Task WriteThenRead_RoundTripsStateAndETag()
    {
        var storage = Storage();
        var written = new GrainState<ConfigState>(State(version: 3));

        await storage.WriteStateAsync(StateName, _grain, written);
        var read = await Read(storage);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(3, read.State!.LastResourceVersion);
        Assert.Equal("""{"host":"reviews"}""", read.State!.Current!.SpecJson);
        Assert.Equal("reviews", read.State.Current.Labels["app"]);
    }

    [Fact]
    public async Task Read_NothingStored_DefaultStateWithoutETag()
    {
        var read = await Read(Storage());

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Null(read.State!.Current);
        Assert.Equal(0, read.State!.LastResourceVersion);
    }

    [Fact]
    public async Task Write_SecondWrite_ChangesETag()
    {
        var storage = Storage();
        var state = new GrainState<ConfigState>(State(version: 1));
        await storage.WriteStateAsync(StateName, _grain, state);
        var first = state.ETag;

        state.State = State(version: 2);
        await storage.WriteStateAsync(StateName, _grain, state);

        Assert.NotEqual(first, state.ETag);
        Assert.Equal(2, (await Read(storage)).State!.LastResourceVersion);
    }

    [Fact]
    public async Task Write_StaleETag_ThrowsInconsistentStateAndKeepsStoredState()
    {
        var storage = Storage();
        var ours = new GrainState<ConfigState>(State(version: 1));
        await storage.WriteStateAsync(StateName, _grain, ours);
        var theirs = await Read(storage);
        theirs.State = State(version: 2);
        await storage.WriteStateAsync(StateName, _grain, theirs);

        ours.State = State(version: 5);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, ours));

        Assert.Equal(2, (await Read(storage)).State!.LastResourceVersion);
    }

    [Fact]
    public async Task Write_InsertWhenRowExists_ThrowsInconsistentState()
    {
        var storage = Storage();
        await storage.WriteStateAsync(StateName, _grain, new GrainState<ConfigState>(State(version: 1)));

        var fresh = new GrainState<ConfigState>(State(version: 9));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, fresh));
        Assert.Equal(1, (await Read(storage)).State!.LastResourceVersion);
    }

    [Fact]
    public async Task Clear_ThenRead_DefaultState()
    {
        var storage = Storage();
        var state = new GrainState<ConfigState>(State(version: 1));
        await storage.WriteStateAsync(StateName, _grain, state);

        await storage.ClearStateAsync(StateName, _grain, state);
        var read = await Read(storage);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.LastResourceVersion);
    }

    [Fact]
    public async Task Clear_StaleETag_ThrowsInconsistentState()
    {
        var storage = Storage();
        var ours = new GrainState<ConfigState>(State(version: 1));
        await storage.WriteStateAsync(StateName, _grain, ours);
        var theirs = await Read(storage);
        await storage.WriteStateAsync(StateName, _grain, theirs);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, _grain, ours));
    }

    [Fact]
    public async Task Clear_ThenWriteAgain_Inserts()
    {
        var storage = Storage();
        var state = new GrainState<ConfigState>(State(version: 1));
        await storage.WriteStateAsync(StateName, _grain, state);
        await storage.ClearStateAsync(StateName, _grain, state);

        state.State = State(version: 2);
        await storage.WriteStateAsync(StateName, _grain, state);

        Assert.Equal(2, (await Read(storage)).State!.LastResourceVersion);
    }

    [Fact]
    public async Task StatesOfOtherGrainsAndNames_KeptApart()
    {
        var storage = Storage();
        var other = GrainId.Create("config", "DestinationRule/shop/ratings");
        await storage.WriteStateAsync(StateName, _grain, new GrainState<ConfigState>(State(version: 1)));
        await storage.WriteStateAsync(StateName, other, new GrainState<ConfigState>(State(version: 2)));
        await storage.WriteStateAsync("history", _grain, new GrainState<ConfigState>(State(version: 3)));

        Assert.Equal(1, (await Read(storage)).State!.LastResourceVersion);
        Assert.Equal(2, (await Read(storage, grain: other)).State!.LastResourceVersion);
        Assert.Equal(3, (await Read(storage, stateName: "history")).State!.LastResourceVersion);
    }

    [Fact]
    public async Task NewInstanceOnSameFile_ReadsWhatTheOldOneWrote()
    {
        var written = new GrainState<ConfigState>(State(version: 4));
        await Storage().WriteStateAsync(StateName, _grain, written);

        var restarted = Storage();
        var read = await Read(restarted);

        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(4, read.State!.LastResourceVersion);
        read.State = State(version: 5);
        await restarted.WriteStateAsync(StateName, _grain, read);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
    }

    private SqliteGrainStorage Storage() =>
        new(new SqliteStorageOptions { DataDir = _dataDir }, Serializer, NullLogger<SqliteGrainStorage>.Instance);

    private async Task<GrainState<ConfigState>> Read(SqliteGrainStorage storage, string stateName = StateName, GrainId? grain = null)
    {
        var state = new GrainState<ConfigState>();
        await storage.ReadStateAsync(stateName, grain ?? _grain, state);
        return state;
    }

    private static ConfigState State(long version)
    {
        var config = new StoredConfig
        {
            Kind = "DestinationRule",
            ApiVersion = "networking.istio.io/v1",
            Namespace = "shop",
            Name = "reviews",
            Labels = new() { ["app"] = "reviews" },
            SpecJson = """{"host":"reviews"}""",
            ResourceVersion = version,
            Generation = 1,
            Uid = "uid-1",
        };
        return new ConfigState { Current = config, LastResourceVersion = version, History = [config] };
    }

    private static IGrainStorageSerializer CreateSerializer()
    {
        var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        return new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
    }
}
