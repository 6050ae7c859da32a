using Mesh.Grains.Audit;

namespace Mesh.Grains.Tests.Audit;

[Collection(MeshClusterCollection.Name)]
public sealed class AuditLogGrainTests(MeshCluster mesh)
{
    private static readonly DateTimeOffset Hour = new(2025, 3, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";

    [Fact]
    public async Task Append_ThenRead_EntriesInCommitOrder()
    {
        var shard = Shard();

        await shard.Append([Entry("reviews", AuditOutcome.Applied, version: 1), Entry("ratings", AuditOutcome.Denied)]).Within();
        await shard.Append([Entry("reviews", AuditOutcome.Deleted, version: 2)]).Within();
        var page = await shard.Read().Within();

        Assert.Equal([("reviews", AuditOutcome.Applied), ("ratings", AuditOutcome.Denied), ("reviews", AuditOutcome.Deleted)],
            page.Entries.Select(e => (e.Name, e.Outcome)));
        Assert.Equal(2, page.Entries[2].ResourceVersion);
        Assert.Equal(0, page.Dropped);
    }

    [Fact]
    public async Task Append_Concurrently_EveryEntryKept()
    {
        var shard = Shard();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => shard.Append([Entry($"r{i}", AuditOutcome.Applied, version: i + 1)]))).Within();
        var page = await shard.Read().Within();

        Assert.Equal(50, page.Entries.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"r{i}").Order(), page.Entries.Select(e => e.Name).Order());
    }

    [Fact]
    public async Task Append_FirstEntries_RegisterTheShardInTheDirectory()
    {
        await Shard().Append([Entry("reviews", AuditOutcome.Applied)]).Within();
        await mesh.Grains.GetGrain<IAuditLogGrain>(AuditShards.Key(_namespace, Hour.AddHours(2))).Append([Entry("reviews", AuditOutcome.Deleted)]).Within();
        var directory = mesh.Grains.GetGrain<IAuditDirectoryGrain>(AuditShards.BucketOf(_namespace));

        var all = await directory.Shards(_namespace, AuditShards.HourOf(Hour)).Within();
        var later = await directory.Shards(_namespace, AuditShards.HourOf(Hour.AddHours(1))).Within();

        Assert.Equal([$"{_namespace}/2025-03-04T12", $"{_namespace}/2025-03-04T14"], all);
        Assert.Equal([$"{_namespace}/2025-03-04T14"], later);
        Assert.Contains($"{_namespace}/2025-03-04T14", await directory.Shards(null, "2025-03-04T13").Within());
    }

    [Fact]
    public async Task Append_BeyondTheBound_NoiseDroppedAndCounted()
    {
        var shard = Shard();
        for (var batch = 0; batch < AuditLogGrain.MaxEntries / 1000; batch++)
        {
            await shard.Append([.. Enumerable.Range(0, 1000).Select(i => Entry($"n{batch}-{i}", AuditOutcome.Denied))]).Within();
        }

        await shard.Append([Entry("late-denied", AuditOutcome.Denied), Entry("late-dry-run", AuditOutcome.Applied, dryRun: true)]).Within();
        var page = await shard.Read().Within();

        Assert.Equal(AuditLogGrain.MaxEntries, page.Entries.Count);
        Assert.Equal(2, page.Dropped);
        Assert.DoesNotContain(page.Entries, e => e.Name.StartsWith("late-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Append_ChangeIntoAFullShard_DisplacesTheOldestNoise()
    {
        var shard = Shard();
        await shard.Append([Entry("first-change", AuditOutcome.Applied, version: 1)]).Within();
        for (var batch = 0; batch < AuditLogGrain.MaxEntries / 1000; batch++)
        {
            var size = batch == 0 ? 999 : 1000;
            await shard.Append([.. Enumerable.Range(0, size).Select(i => Entry($"n{batch}-{i}", AuditOutcome.Invalid))]).Within();
        }

        await shard.Append([Entry("late-change", AuditOutcome.Deleted, version: 2)]).Within();
        var page = await shard.Read().Within();

        Assert.Equal(AuditLogGrain.MaxEntries, page.Entries.Count);
        Assert.Equal(1, page.Dropped);
        Assert.Equal("first-change", page.Entries[0].Name);
        Assert.Equal("n0-1", page.Entries[1].Name);
        Assert.Equal("late-change", page.Entries[^1].Name);
    }

    [Fact]
    public async Task Append_FloodIntoAFullShard_EvictsOnlyTheFloodersOwnEntries()
    {
        var shard = Shard();
        await shard.Append([Entry("carol-denied", AuditOutcome.Denied, user: "carol"), Entry("alice-invalid", AuditOutcome.Invalid, user: "alice")]).Within();
        for (var batch = 0; batch < 2 * AuditLogGrain.MaxEntries / 1000; batch++)
        {
            await shard.Append([.. Enumerable.Range(0, 1000).Select(i => Entry($"flood{batch}-{i}", AuditOutcome.Invalid, user: "mallory"))]).Within();
        }

        await shard.Append([Entry("carol-later", AuditOutcome.Denied, user: "carol")]).Within();
        var page = await shard.Read().Within();

        Assert.Equal(AuditLogGrain.MaxEntries, page.Entries.Count);
        Assert.Equal(["carol-denied", "alice-invalid", "carol-later"], page.Entries.Where(e => e.User != "mallory").Select(e => e.Name));
        Assert.Equal(AuditLogGrain.MaxEntries - 3, page.Entries.Count(e => e.User == "mallory"));
        Assert.Equal(2 * AuditLogGrain.MaxEntries + 3 - AuditLogGrain.MaxEntries, page.Dropped);
        // The flooder's first entries are kept, and its oldest gave way to carol's.
        Assert.Equal("flood0-1", page.Entries.First(e => e.User == "mallory").Name);
    }

    private IAuditLogGrain Shard() => mesh.Grains.GetGrain<IAuditLogGrain>(AuditShards.Key(_namespace, Hour));

    private AuditRecord Entry(string name, AuditOutcome outcome, long version = 0, bool dryRun = false, string user = "bob") => new()
    {
        Time = Hour.AddMinutes(5),
        User = user,
        Role = "editor",
        Verb = outcome == AuditOutcome.Deleted ? "delete" : "apply",
        Kind = "VirtualService",
        Namespace = _namespace,
        Name = name,
        Outcome = outcome,
        ResourceVersion = version,
        DryRun = dryRun,
    };
}
