using Mesh.Grains.Config;

namespace Mesh.Grains.Tests.Config;

[Collection(MeshClusterCollection.Name)]
public sealed class ConfigGrainTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";

    [Fact]
    public async Task Apply_NewResource_Created()
    {
        var grain = Grain("reviews");

        var result = await grain.Apply(Write("""{"host":"a"}""")).Within();

        Assert.Equal(WriteOutcome.Created, result.Outcome);
        Assert.Equal(1, result.Config!.ResourceVersion);
        Assert.Equal(1, result.Config.Generation);
        Assert.Equal(("DestinationRule", _namespace, "reviews"), (result.Config.Kind, result.Config.Namespace, result.Config.Name));
        var stored = await grain.Get().Within();
        Assert.Equal((result.Config.Uid, result.Config.ResourceVersion), (stored!.Uid, stored.ResourceVersion));
    }

    [Fact]
    public async Task Apply_ChangedSpec_ConfiguredWithNextVersionAndGeneration()
    {
        var grain = Grain("reviews");
        var created = await grain.Apply(Write("""{"host":"a"}""")).Within();

        var result = await grain.Apply(Write("""{"host":"b"}""")).Within();

        Assert.Equal(WriteOutcome.Configured, result.Outcome);
        Assert.Equal(2, result.Config!.ResourceVersion);
        Assert.Equal(2, result.Config.Generation);
        Assert.Equal(created.Config!.Uid, result.Config.Uid);
        Assert.Equal(created.Config.CreatedAt, result.Config.CreatedAt);
    }

    [Fact]
    public async Task Apply_SameContent_UnchangedAndVersionKept()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""", labels: new() { ["app"] = "reviews" })).Within();

        var result = await grain.Apply(Write("""{"host":"a"}""", labels: new() { ["app"] = "reviews" })).Within();

        Assert.Equal(WriteOutcome.Unchanged, result.Outcome);
        Assert.Equal(1, result.CurrentResourceVersion);
        Assert.Single(await grain.History().Within());
    }

    [Fact]
    public async Task Apply_LabelsOnlyChanged_VersionBumpsButGenerationDoesNot()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();

        var result = await grain.Apply(Write("""{"host":"a"}""", labels: new() { ["team"] = "shop" })).Within();

        Assert.Equal(WriteOutcome.Configured, result.Outcome);
        Assert.Equal(2, result.Config!.ResourceVersion);
        Assert.Equal(1, result.Config.Generation);
        Assert.Equal("shop", result.Config.Labels["team"]);
    }

    [Fact]
    public async Task ResourceVersion_DeleteAndRecreate_KeepsGrowing()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();
        await grain.Apply(Write("""{"host":"b"}""")).Within();

        var deleted = await grain.Delete(null, dryRun: false).Within();
        var recreated = await grain.Apply(Write("""{"host":"a"}""")).Within();

        Assert.Equal(WriteOutcome.Deleted, deleted.Outcome);
        Assert.Equal(3, deleted.CurrentResourceVersion);
        Assert.Equal(WriteOutcome.Created, recreated.Outcome);
        Assert.Equal(4, recreated.Config!.ResourceVersion);
        Assert.Equal(1, recreated.Config.Generation);
    }

    [Fact]
    public async Task Delete_Missing_NotFound()
    {
        var result = await Grain("nothing").Delete(null, dryRun: false).Within();

        Assert.Equal(WriteOutcome.NotFound, result.Outcome);
        Assert.Null(result.Config);
    }

    [Fact]
    public async Task Get_AfterDelete_Null()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();

        await grain.Delete(null, dryRun: false).Within();

        Assert.Null(await grain.Get().Within());
    }

    [Fact]
    public async Task History_MoreThanTenWrites_KeepsTenNewestFirst()
    {
        var grain = Grain("reviews");
        for (var i = 1; i <= 13; i++)
        {
            await grain.Apply(Write($$"""{"host":"h{{i}}"}""")).Within();
        }

        var history = await grain.History().Within();

        Assert.Equal(Enumerable.Range(4, 10).Reverse().Select(v => (long)v), history.Select(c => c.ResourceVersion));
        Assert.Equal("""{"host":"h13"}""", history[0].SpecJson);
    }

    [Fact]
    public async Task History_AfterDelete_StillListsStoredVersions()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();
        await grain.Apply(Write("""{"host":"b"}""")).Within();

        await grain.Delete(null, dryRun: false).Within();

        Assert.Equal([2L, 1L], (await grain.History().Within()).Select(c => c.ResourceVersion));
    }

    [Fact]
    public async Task Apply_StaleExpectedVersion_ConflictAndNothingStored()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();
        await grain.Apply(Write("""{"host":"b"}""")).Within();

        var result = await grain.Apply(Write("""{"host":"c"}""") with { ExpectedResourceVersion = 1 }).Within();

        Assert.Equal(WriteOutcome.Conflict, result.Outcome);
        Assert.Equal(2, result.CurrentResourceVersion);
        Assert.Equal("""{"host":"b"}""", (await grain.Get().Within())!.SpecJson);
    }

    [Fact]
    public async Task Apply_CurrentExpectedVersion_Configured()
    {
        var grain = Grain("reviews");
        var created = await grain.Apply(Write("""{"host":"a"}""")).Within();

        var result = await grain.Apply(Write("""{"host":"b"}""") with { ExpectedResourceVersion = created.Config!.ResourceVersion }).Within();

        Assert.Equal(WriteOutcome.Configured, result.Outcome);
    }

    [Fact]
    public async Task Delete_StaleExpectedVersion_ConflictAndResourceKept()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();

        var result = await grain.Delete(expectedResourceVersion: 7, dryRun: false).Within();

        Assert.Equal(WriteOutcome.Conflict, result.Outcome);
        Assert.NotNull(await grain.Get().Within());
    }

    [Fact]
    public async Task Apply_DryRun_ReportsOutcomeButStoresNothing()
    {
        var grain = Grain("reviews");

        var result = await grain.Apply(Write("""{"host":"a"}""") with { DryRun = true }).Within();

        Assert.Equal(WriteOutcome.Created, result.Outcome);
        Assert.Equal(1, result.Config!.ResourceVersion);
        Assert.Null(await grain.Get().Within());
        Assert.Empty(await grain.History().Within());
        Assert.DoesNotContain("reviews", await Index().Names().Within());
    }

    [Fact]
    public async Task Delete_DryRun_KeepsResource()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();

        var result = await grain.Delete(null, dryRun: true).Within();

        Assert.Equal(WriteOutcome.Deleted, result.Outcome);
        Assert.NotNull(await grain.Get().Within());
        Assert.Equal(2, (await grain.Apply(Write("""{"host":"b"}""")).Within()).Config!.ResourceVersion);
    }

    [Fact]
    public async Task Index_ListsAppliedNamesSortedAndDropsDeletedOnes()
    {
        await Grain("ratings").Apply(Write("""{"host":"a"}""")).Within();
        await Grain("details").Apply(Write("""{"host":"a"}""")).Within();
        await Grain("reviews").Apply(Write("""{"host":"a"}""")).Within();

        await Grain("ratings").Delete(null, dryRun: false).Within();

        Assert.Equal(["details", "reviews"], await Index().Names().Within());
    }

    [Fact]
    public async Task NamespaceDirectory_FirstApply_RegistersNamespaceForItsKind()
    {
        await Grain("reviews").Apply(Write("""{"host":"a"}""")).Within();

        var directory = mesh.Grains.GetGrain<INamespaceDirectoryGrain>(NamespaceDirectory.BucketOf(_namespace));

        Assert.Contains(_namespace, await directory.Namespaces("DestinationRule").Within());
        Assert.Contains(_namespace, await directory.Namespaces(null).Within());
        Assert.DoesNotContain(_namespace, await directory.Namespaces("Gateway").Within());
    }

    private IConfigGrain Grain(string name) => mesh.Grains.GetGrain<IConfigGrain>($"DestinationRule/{_namespace}/{name}");

    private IConfigIndexGrain Index() => mesh.Grains.GetGrain<IConfigIndexGrain>($"DestinationRule/{_namespace}");

    private static ConfigWrite Write(string specJson, Dictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "networking.istio.io/v1",
        SpecJson = specJson,
        Labels = labels ?? [],
    };
}
