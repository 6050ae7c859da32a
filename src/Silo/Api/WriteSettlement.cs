using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

/// <summary>Reads what a retried write met: after an attempt that may have stored it (<see cref="WriteRetry.MayHaveLanded"/>),
/// the grain's answer to the next one can be the first one's work, which the caller must hear as done.</summary>
public static class WriteSettlement
{
    /// <summary>How far the grain's clock may be behind this silo's when telling whether a stored version is
    /// younger than the first attempt.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(1);

    /// <summary>An apply's answer as the caller should hear it:
    /// <list type="bullet">
    /// <item>Unchanged, with the stored version written since the first attempt started: the first attempt stored
    /// it (created if that was the resource's first version, else configured).</item>
    /// <item>Conflict, with the stored version the one right after the expected one and holding exactly what was
    /// written: the first attempt stored it (configured).</item>
    /// </list>
    /// Anything else stands as the grain said it.</summary>
    public static WriteResult Apply(WriteResult result, ConfigWrite write, bool mayHaveLanded, DateTimeOffset firstAttemptAt)
    {
        if (!mayHaveLanded || result.Config is not { } stored || !write.HasContentOf(stored)) return result;
        return result.Outcome switch
        {
            WriteOutcome.Unchanged when stored.UpdatedAt >= firstAttemptAt - ClockSkew =>
                result with { Outcome = stored.CreatedAt == stored.UpdatedAt ? WriteOutcome.Created : WriteOutcome.Configured },
            WriteOutcome.Conflict when write.ExpectedResourceVersion is { } expected && stored.ResourceVersion == expected + 1 =>
                new WriteResult(WriteOutcome.Configured, stored, stored.ResourceVersion),
            _ => result,
        };
    }

    /// <summary>A delete's answer as the caller should hear it: NotFound, when the resource's last change was its
    /// deletion (the last version ever stored is <paramref name="lastStored"/>, and the next version number went to the
    /// deletion), after an attempt that may have deleted it: deleted. <paramref name="lastStored"/> is the newest of
    /// its history, null when it never existed.</summary>
    public static WriteResult Delete(WriteResult result, StoredConfig? lastStored, long? expectedResourceVersion, bool mayHaveLanded)
    {
        if (!mayHaveLanded || result.Outcome != WriteOutcome.NotFound || lastStored is null) return result;
        if (result.CurrentResourceVersion != lastStored.ResourceVersion + 1) return result;
        if (expectedResourceVersion is { } expected && expected != lastStored.ResourceVersion) return result;
        return new WriteResult(WriteOutcome.Deleted, lastStored, result.CurrentResourceVersion);
    }
}
