using StackExchange.Redis;

namespace Mesh.Silo.Storage;

/// <summary>The one multiplexer that grain state is written through and confirmed on (<see cref="ReplicatedGrainStorage"/>),
/// with a count of the connections it lost: a write and its WAIT that span a lost connection prove nothing.</summary>
public sealed class ReplicatedConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;
    private long _epoch;

    public ReplicatedConnection(RedisStore store) => _multiplexer = new(() => Open(store));

    /// <summary>Connected on first use, by Orleans' storage as it starts.</summary>
    public Task<IConnectionMultiplexer> Multiplexer => _multiplexer.Value;

    /// <summary>Goes up each time a connection to a Redis server fails.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    private async Task<IConnectionMultiplexer> Open(RedisStore store)
    {
        var multiplexer = await store.Connect();
        multiplexer.ConnectionFailed += (_, _) => Interlocked.Increment(ref _epoch);
        return multiplexer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            await _multiplexer.Value.Result.DisposeAsync();
        }
    }
}
