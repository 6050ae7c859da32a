using Mesh.Grains.Config;
using Orleans.Core.Internal;
using Orleans.Storage;

namespace Mesh.Grains.Tests.Config;

[Collection(MeshClusterCollection.Name)]
public sealed class ConfigIndexGrainTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";

    [Fact]
    public async Task Page_AfterApplyModifyAndDelete_ShowsWhatIsStored()
    {
        await Apply("a", "v1");
        await Apply("b", "v1");
        await Apply("a", "v2");
        await Apply("c", "v1");
        await Grain("c").Delete(null, dryRun: false).Within();

        var page = await Index().Page(new ListQuery()).Within();

        Assert.Equal(["a", "b"], page.Items.Select(i => i.Name));
        Assert.Equal("v2", page.Items[0].Labels["version"]);
        Assert.Equal(2, page.Items[0].ResourceVersion);
    }

    [Fact]
    public async Task Page_AfterTheIndexIsDeactivated_RefillsFromTheConfigGrains()
    {
        await Apply("a", "v1");
        await Apply("b", "v2");
        await Apply("b", "v3");
        await Index().Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask().Within();

        var page = await Index().Page(new ListQuery { LabelSelector = "version in (v1,v3)" }).Within();

        Assert.Equal(["a", "b"], page.Items.Select(i => i.Name));
        Assert.Equal("v3", page.Items[1].Labels["version"]);
    }

    [Fact]
    public async Task Page_NameAddedButNeverStored_IsSkipped()
    {
        await Index().Add("ghost").Within(); // as when a first write fails after the index took the name
        await Apply("real", "v1");
        await Index().Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask().Within();

        var page = await Index().Page(new ListQuery()).Within();

        Assert.Equal(["real"], page.Items.Select(i => i.Name));
    }

    [Fact]
    public async Task Page_AfterAnotherActivationWroteTheNames_FollowsStorage()
    {
        // A duplicate of the index (on a silo declared dead while it still ran) took "c", and c's config grain stored
        // it; this activation learns of it when its own next write fails on the ETag, which Orleans answers by
        // deactivating it: the next activation reads the names and refills.
        await Apply("a", "v1");
        await Apply("b", "v1");
        var c = new StoredConfig
        {
            Kind = "DestinationRule", Namespace = _namespace, Name = "c", ApiVersion = "networking.istio.io/v1",
            SpecJson = """{"host":"a"}""", Uid = "c", ResourceVersion = 1, Labels = new() { ["version"] = "v1" },
        };
        FaultyStorage.WriteAsAnotherActivation("config", Grain("c").GetGrainId(), new ConfigState { Current = c, LastResourceVersion = 1, History = [c] });
        FaultyStorage.WriteAsAnotherActivation("index", Index().GetGrainId(), new ConfigIndexState { Names = new(StringComparer.Ordinal) { "a", "b", "c" }, Registered = true });

        await Assert.ThrowsAsync<InconsistentStateException>(() => Apply("d", "v1"));
        await Apply("d", "v1");

        var page = await Index().Page(new ListQuery()).Within();
        Assert.Equal(["a", "b", "c", "d"], page.Items.Select(i => i.Name));
    }

    private Task Apply(string name, string version) => Grain(name).Apply(new ConfigWrite
    {
        ApiVersion = "networking.istio.io/v1",
        SpecJson = """{"host":"a"}""",
        Labels = new() { ["version"] = version },
    }).Within();

    private IConfigGrain Grain(string name) => mesh.Grains.Config("DestinationRule", _namespace, name);

    private IConfigIndexGrain Index() => mesh.Grains.ConfigIndex("DestinationRule", _namespace);
}
