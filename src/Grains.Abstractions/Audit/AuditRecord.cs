namespace Mesh.Grains.Audit;

/// <summary>One write attempt as the audit trail keeps it: who, what, when, and what came of it.</summary>
[GenerateSerializer, Immutable, Alias("mesh.AuditRecord")]
public sealed record AuditRecord
{
    /// <summary>When the outcome was known, UTC.</summary>
    [Id(0)] public DateTimeOffset Time { get; init; }
    [Id(1)] public required string User { get; init; }
    /// <summary><c>admin</c>, <c>editor</c> or <c>viewer</c>.</summary>
    [Id(2)] public required string Role { get; init; }
    /// <summary><c>apply</c> or <c>delete</c>.</summary>
    [Id(3)] public required string Verb { get; init; }
    [Id(4)] public string Kind { get; init; } = "";
    [Id(5)] public string Namespace { get; init; } = "";
    [Id(6)] public string Name { get; init; } = "";
    [Id(7)] public AuditOutcome Outcome { get; init; }
    /// <summary>The resource's version after the write; 0 when there is none.</summary>
    [Id(8)] public long ResourceVersion { get; init; }
    [Id(9)] public bool DryRun { get; init; }
    [Id(10)] public string TraceId { get; init; } = "";
    /// <summary>Why (denied, invalid, conflict, failed), or what an applied write did (created, configured).</summary>
    [Id(11)] public string Detail { get; init; } = "";

    /// <summary>Stored something, or would have in a dry run: what the trail must not lose to noise.</summary>
    public bool IsChange => !DryRun && Outcome is AuditOutcome.Applied or AuditOutcome.Deleted;
}
