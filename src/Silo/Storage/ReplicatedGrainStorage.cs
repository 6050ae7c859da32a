using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;
using StackExchange.Redis;

namespace Mesh.Silo.Storage;

/// <summary>Grain state on Redis that is on a replica before a write returns. Redis replicates asynchronously:
/// a write the primary acknowledged can vanish when Sentinel promotes a replica that had not received it. After
/// each write this sends <c>WAIT replicas timeout</c>, which Redis answers once that many replicas have everything
/// this connection wrote; the write and the WAIT share one connection because the <see cref="ReplicatedConnection"/> is also
/// the multiplexer the inner (Orleans') storage writes through.</summary>
public sealed partial class ReplicatedGrainStorage(IGrainStorage inner, ReplicatedConnection connection, ReplicaAcks acks, ILogger<ReplicatedGrainStorage> logger)
    : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var epoch = connection.Epoch;
        await inner.WriteStateAsync(stateName, grainId, grainState);
        await Replicated(stateName, grainId, epoch);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var epoch = connection.Epoch;
        await inner.ClearStateAsync(stateName, grainId, grainState);
        await Replicated(stateName, grainId, epoch);
    }

    private async Task Replicated(string stateName, GrainId grainId, long epoch)
    {
        var multiplexer = await connection.Multiplexer;
        long confirmed;
        try
        {
            confirmed = (long)await multiplexer.GetDatabase().ExecuteAsync("WAIT", acks.Replicas, (long)acks.Timeout.TotalMilliseconds);
        }
        catch (RedisException exception)
        {
            throw Unconfirmed(stateName, grainId, $"waiting for its replicas failed ({exception.Message})", exception);
        }
        // A WAIT that went out on a new connection (the primary died and a replica was promoted in between)
        // would count replicas of nothing this silo wrote: a lost connection leaves the outcome unknown.
        if (connection.Epoch != epoch)
        {
            throw Unconfirmed(stateName, grainId, "the connection to it failed before a replica confirmed it", null);
        }
        if (confirmed < acks.Replicas)
        {
            throw Unconfirmed(stateName, grainId, $"only {confirmed} of the {acks.Replicas} replicas required confirmed it within {acks.Timeout.TotalMilliseconds:0} ms", null);
        }
    }

    private ReplicationUnconfirmedException Unconfirmed(string stateName, GrainId grainId, string why, Exception? inner)
    {
        LogUnconfirmed(logger, stateName, grainId.ToString(), why, inner);
        return new ReplicationUnconfirmedException(
            $"The write of {stateName} of {grainId} reached the Redis primary, but {why}: it is lost if the primary "
            + "fails before replicating it. Read it back to see whether it landed.");
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Write of {StateName} of {GrainId} not confirmed by the Redis replicas: {Why}")]
    private static partial void LogUnconfirmed(ILogger logger, string stateName, string grainId, string why, Exception? exception);
}

/// <summary>A grain-state write the primary took but too few replicas confirmed: its outcome is unknown. It crosses
/// silos (a grain's write fails on one, the API call that caused it is served on another), so it is serializable and
/// carries no inner exception: the Redis client's exceptions are not, and the cause is in the log and the message.</summary>
[GenerateSerializer, Alias("mesh.ReplicationUnconfirmedException")]
public sealed class ReplicationUnconfirmedException(string message) : Exception(message);

/// <summary>How many replicas must hold a write before it returns, and how long to wait for them.</summary>
public sealed record ReplicaAcks(int Replicas, TimeSpan Timeout);
