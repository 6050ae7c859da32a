using Grpc.Core;
using Mesh.Config.Validation.Rules;
using Mesh.Grains.Audit;
using Mesh.Silo.Access;

namespace Mesh.Silo.Audit;

/// <summary>Records the management API's write attempts: a structured log line per entry, then the entries appended
/// to their namespace's shard for the hour. The handler waits for the append before it answers, so an acknowledged
/// write is in the trail. A failed append is logged (the log line of each entry is already out) and does not fail
/// the request: the write it describes has happened, or been refused, either way.</summary>
public sealed partial class AuditTrail(IGrainFactory grains, TimeProvider time, ILogger<AuditTrail> logger)
{
    /// <summary>Starts the audit of one write request by the call's caller.</summary>
    public WriteAttempt Begin(ServerCallContext context, string verb, bool dryRun) =>
        new(this, context.Caller(), verb, dryRun, Monitoring.RequestTrace.Id());

    internal DateTimeOffset Now => time.GetUtcNow();

    internal async Task Record(IReadOnlyList<AuditRecord> records)
    {
        foreach (var record in records)
        {
            LogEntry(logger, record.User, record.Role, record.Verb, record.Kind, record.Namespace, record.Name,
                record.Outcome, record.ResourceVersion, record.DryRun, record.TraceId, record.Detail);
        }
        await Task.WhenAll(records.GroupBy(record => AuditShards.Key(ShardNamespace(record.Namespace), record.Time)).Select(Append));
    }

    private async Task Append(IGrouping<string, AuditRecord> shard)
    {
        try
        {
            await grains.GetGrain<IAuditLogGrain>(shard.Key).Append([.. shard]);
        }
        catch (Exception exception)
        {
            LogAppendFailed(logger, shard.Count(), shard.Key, exception);
        }
    }

    private static string ShardNamespace(string @namespace) =>
        ResourceNames.IsDns1123Label(@namespace) ? @namespace : AuditShards.NoNamespace;

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Audit: {User} ({Role}) {Verb} {Kind} {Namespace}/{Name}: {Outcome}, resourceVersion {ResourceVersion}, dry run {DryRun}, trace {TraceId}; {Detail}")]
    private static partial void LogEntry(ILogger logger, string user, string role, string verb, string kind, string @namespace, string name,
        AuditOutcome outcome, long resourceVersion, bool dryRun, string traceId, string detail);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error,
        Message = "Storing {Count} audit entries in shard {Shard} failed; they are only in this log (event 7001)")]
    private static partial void LogAppendFailed(ILogger logger, int count, string shard, Exception exception);
}
