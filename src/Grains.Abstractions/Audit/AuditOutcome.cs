namespace Mesh.Grains.Audit;

/// <summary>What came of one write attempt.</summary>
[GenerateSerializer, Alias("mesh.AuditOutcome")]
public enum AuditOutcome
{
    /// <summary>Created or configured: stored (or, in a dry run, would have been).</summary>
    Applied = 0,
    Unchanged = 1,
    Deleted = 2,
    /// <summary>The caller's role does not allow the write; nothing was stored.</summary>
    Denied = 3,
    /// <summary>The request or a document of it failed validation; nothing was stored.</summary>
    Invalid = 4,
    /// <summary>The expected resourceVersion was stale.</summary>
    Conflict = 5,
    /// <summary>Delete of a resource that does not exist.</summary>
    NotFound = 6,
    /// <summary>The write failed on the server (storage, a silo going away); it may or may not have been stored.</summary>
    Failed = 7,
    /// <summary>Not attempted: an earlier document of the same manifest conflicted or failed.</summary>
    Skipped = 8,
}
