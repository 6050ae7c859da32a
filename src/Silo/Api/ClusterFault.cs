using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using StackExchange.Redis;

namespace Mesh.Silo.Api;

/// <summary>What a failed grain call says about the write it carried: whether trying again may help, and whether the
/// failed attempt may have reached storage anyway.</summary>
public enum ClusterFaultKind
{
    /// <summary>Not a fault of the cluster (a bug, a refusal): trying again gives the same answer.</summary>
    None,
    /// <summary>The call never reached the grain (no connection, rejected before it ran): nothing was stored.</summary>
    NotDelivered,
    /// <summary>The call may have run and its write reached storage before the answer was lost (the silo died or
    /// stopped answering, the store failed mid-write).</summary>
    OutcomeUnknown,
}

/// <summary>Reads a grain call's exception as a cluster fault, in one place for the API's writes and its error
/// interceptor. Faults seen while a silo dies or Redis fails over (see DESIGN, "Facts"): rejections, a dead target
/// silo, Orleans' response timeout, Redis and storage failures.</summary>
public static class ClusterFault
{
    public static ClusterFaultKind Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = Inner(current))
        {
            switch (current)
            {
                // A subclass of the rejection below: requests in flight when their target silo was declared dead.
                case SiloUnavailableException:
                    return ClusterFaultKind.OutcomeUnknown;
                case OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException:
                    return ClusterFaultKind.NotDelivered;
                case OrleansException when IsRefusedActivation(current):
                    return ClusterFaultKind.NotDelivered;
                case TimeoutException or InconsistentStateException or Orleans.Persistence.Redis.RedisStorageException
                    or RedisException or Storage.ReplicationUnconfirmedException
                    or Orleans.Networking.Shared.SocketConnectionException or System.Net.Sockets.SocketException:
                    return ClusterFaultKind.OutcomeUnknown;
            }
        }
        return ClusterFaultKind.None;
    }

    /// <summary>Why, in a user's words, for an error message.</summary>
    public static string Reason(Exception exception)
    {
        for (var current = exception; current is not null; current = Inner(current))
        {
            switch (current)
            {
                case Storage.ReplicationUnconfirmedException:
                    return "the Redis primary took the write but no replica confirmed it (the primary may be failing over)";
                case InconsistentStateException or Orleans.Persistence.Redis.RedisStorageException or RedisException:
                    return "the store (Redis) failed during the write";
                case TimeoutException:
                    return "the silo holding it did not answer in time";
                case OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException
                    or Orleans.Networking.Shared.SocketConnectionException or System.Net.Sockets.SocketException:
                    return "the silo holding it stopped answering (it may be dying or just died)";
                case OrleansException when IsRefusedActivation(current):
                    return "the silo chosen to hold it was just declared dead";
            }
        }
        return "the cluster failed to answer";
    }

    /// <summary>The grain directory refused to register an activation on a silo it holds dead (a plain OrleansException,
    /// told apart only by its text): the activation never ran, and the next call places it on a live silo.</summary>
    private static bool IsRefusedActivation(Exception exception) =>
        exception.Message.StartsWith("Trying to register ", StringComparison.Ordinal)
        && exception.Message.Contains(" on invalid silo: ", StringComparison.Ordinal);

    private static Exception? Inner(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception.InnerException;
}
