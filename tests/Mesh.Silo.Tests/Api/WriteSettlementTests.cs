using Mesh.Grains.Config;
using Mesh.Silo.Api;

namespace Mesh.Silo.Tests.Api;

public sealed class WriteSettlementTests
{
    private static readonly DateTimeOffset FirstAttempt = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    private static ConfigWrite Write(string spec = """{"hosts":["a"]}""", long? expected = null) =>
        new() { ApiVersion = "networking.istio.io/v1", SpecJson = spec, Labels = new() { ["app"] = "a" }, ExpectedResourceVersion = expected };

    private static StoredConfig Stored(long version, DateTimeOffset updated, DateTimeOffset? created = null, string spec = """{"hosts":["a"]}""") => new()
    {
        Kind = "VirtualService", ApiVersion = "networking.istio.io/v1", Namespace = "default", Name = "a",
        SpecJson = spec, Labels = new() { ["app"] = "a" }, ResourceVersion = version, Uid = "u",
        CreatedAt = created ?? updated, UpdatedAt = updated,
    };

    [Fact]
    public void UnchangedAfterAnAttemptThatMayHaveLanded_StoredSinceItStarted_IsTheFirstAttemptsCreate()
    {
        var stored = Stored(1, FirstAttempt.AddMilliseconds(30));

        var settled = WriteSettlement.Apply(new WriteResult(WriteOutcome.Unchanged, stored, 1), Write(), mayHaveLanded: true, FirstAttempt);

        Assert.Equal(WriteOutcome.Created, settled.Outcome);
        Assert.Same(stored, settled.Config);
    }

    [Fact]
    public void UnchangedAfterAnAttemptThatMayHaveLanded_AnUpdate_IsConfigured()
    {
        var stored = Stored(4, FirstAttempt.AddMilliseconds(30), created: FirstAttempt.AddDays(-1));

        var settled = WriteSettlement.Apply(new WriteResult(WriteOutcome.Unchanged, stored, 4), Write(), mayHaveLanded: true, FirstAttempt);

        Assert.Equal(WriteOutcome.Configured, settled.Outcome);
    }

    [Fact]
    public void UnchangedSinceBeforeTheFirstAttempt_StaysUnchanged()
    {
        var stored = Stored(4, FirstAttempt.AddMinutes(-5), created: FirstAttempt.AddDays(-1));

        var settled = WriteSettlement.Apply(new WriteResult(WriteOutcome.Unchanged, stored, 4), Write(), mayHaveLanded: true, FirstAttempt);

        Assert.Equal(WriteOutcome.Unchanged, settled.Outcome);
    }

    [Fact]
    public void Unchanged_WhenNoAttemptCouldHaveLanded_StaysUnchanged()
    {
        var stored = Stored(4, FirstAttempt.AddMilliseconds(30), created: FirstAttempt.AddDays(-1));

        var settled = WriteSettlement.Apply(new WriteResult(WriteOutcome.Unchanged, stored, 4), Write(), mayHaveLanded: false, FirstAttempt);

        Assert.Equal(WriteOutcome.Unchanged, settled.Outcome);
    }

    [Fact]
    public void ConflictWithTheVersionAfterTheExpectedOne_HoldingWhatWasWritten_IsTheFirstAttemptsUpdate()
    {
        var stored = Stored(8, FirstAttempt.AddMilliseconds(30), created: FirstAttempt.AddDays(-1));

        var settled = WriteSettlement.Apply(new WriteResult(WriteOutcome.Conflict, stored, 8), Write(expected: 7), mayHaveLanded: true, FirstAttempt);

        Assert.Equal(WriteOutcome.Configured, settled.Outcome);
        Assert.Equal(8, settled.CurrentResourceVersion);
    }

    [Theory]
    [InlineData(7, 9, """{"hosts":["a"]}""")] // someone wrote again after it
    [InlineData(7, 8, """{"hosts":["b"]}""")] // someone else's write took the version
    public void OtherConflicts_StandAsConflicts(long expected, long storedVersion, string storedSpec)
    {
        var stored = Stored(storedVersion, FirstAttempt.AddMilliseconds(30), created: FirstAttempt.AddDays(-1), spec: storedSpec);

        var settled = WriteSettlement.Apply(new WriteResult(WriteOutcome.Conflict, stored, storedVersion), Write(expected: expected), mayHaveLanded: true, FirstAttempt);

        Assert.Equal(WriteOutcome.Conflict, settled.Outcome);
    }

    [Fact]
    public void NotFoundWhoseLastChangeWasADeletion_AfterAnAttemptThatMayHaveLanded_IsDeleted()
    {
        var last = Stored(5, FirstAttempt.AddDays(-1));

        var settled = WriteSettlement.Delete(new WriteResult(WriteOutcome.NotFound, null, 6), last, expectedResourceVersion: 5, mayHaveLanded: true);

        Assert.Equal(WriteOutcome.Deleted, settled.Outcome);
        Assert.Same(last, settled.Config);
        Assert.Equal(6, settled.CurrentResourceVersion);
    }

    [Theory]
    [InlineData(true, null, 6, null)]   // never existed
    [InlineData(false, 5L, 6, null)]    // no attempt could have landed
    [InlineData(true, 5L, 6, 4L)]       // the caller expected another version: not its delete
    [InlineData(true, 5L, 8, null)]     // created and deleted again since
    public void OtherNotFounds_StandAsNotFound(bool mayHaveLanded, long? lastVersion, long current, long? expected)
    {
        var last = lastVersion is { } version ? Stored(version, FirstAttempt.AddDays(-1)) : null;

        var settled = WriteSettlement.Delete(new WriteResult(WriteOutcome.NotFound, null, current), last, expected, mayHaveLanded);

        Assert.Equal(WriteOutcome.NotFound, settled.Outcome);
    }
}
