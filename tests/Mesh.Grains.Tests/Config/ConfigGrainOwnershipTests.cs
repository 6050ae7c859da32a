using Mesh.Grains.Config;

namespace Mesh.Grains.Tests.Config;

/// <summary>A resource the Kubernetes source stored is the source's alone, and one applied through the API is not
/// the source's: the grain refuses the other writer in the same turn that would store it, so no read before the write
/// is needed.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class ConfigGrainOwnershipTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_sourced_resource_refuses_other_writers_and_nothing_changes()
    {
        var grain = Grain("reviews");
        var stored = (await grain.Apply(Write("""{"host":"a"}""", fromSource: true)).Within()).Config!;

        foreach (var dryRun in new[] { true, false })
        {
            var apply = await grain.Apply(Write("""{"host":"b"}""") with { DryRun = dryRun }).Within();
            Assert.Equal((WriteOutcome.OwnedByKubernetes, stored.ResourceVersion), (apply.Outcome, apply.CurrentResourceVersion));
            var delete = await grain.Delete(null, dryRun, fromKubernetesSource: false).Within();
            Assert.Equal(WriteOutcome.OwnedByKubernetes, delete.Outcome);
        }
        // The version-2 delete is anyone's but the source's.
        Assert.Equal(WriteOutcome.OwnedByKubernetes, (await grain.Delete(null, dryRun: false).Within()).Outcome);
        var now = await grain.Get().Within();
        Assert.Equal((stored.ResourceVersion, stored.SpecJson), (now!.ResourceVersion, now.SpecJson));
    }

    [Fact]
    public async Task The_source_changes_and_deletes_its_own()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""", fromSource: true)).Within();

        Assert.Equal(WriteOutcome.Configured, (await grain.Apply(Write("""{"host":"b"}""", fromSource: true)).Within()).Outcome);
        Assert.Equal(WriteOutcome.Deleted, (await grain.Delete(null, dryRun: false, fromKubernetesSource: true).Within()).Outcome);
        Assert.Null(await grain.Get().Within());
    }

    [Fact]
    public async Task A_resource_applied_through_the_api_is_not_refused()
    {
        var grain = Grain("reviews");
        await grain.Apply(Write("""{"host":"a"}""")).Within();

        Assert.Equal(WriteOutcome.Configured, (await grain.Apply(Write("""{"host":"b"}""")).Within()).Outcome);
        Assert.Equal(WriteOutcome.Deleted, (await grain.Delete(null, dryRun: false, fromKubernetesSource: false).Within()).Outcome);
    }

    [Fact]
    public async Task A_resource_applied_through_the_api_refuses_the_source_and_nothing_changes()
    {
        var grain = Grain("reviews");
        var stored = (await grain.Apply(Write("""{"host":"a"}""")).Within()).Config!;

        foreach (var dryRun in new[] { true, false })
        {
            var apply = await grain.Apply(Write("""{"host":"b"}""", fromSource: true) with { DryRun = dryRun }).Within();
            Assert.Equal((WriteOutcome.NotFromKubernetes, stored.ResourceVersion), (apply.Outcome, apply.CurrentResourceVersion));
            var delete = await grain.Delete(null, dryRun, fromKubernetesSource: true).Within();
            Assert.Equal(WriteOutcome.NotFromKubernetes, delete.Outcome);
        }
        var now = await grain.Get().Within();
        Assert.Equal((stored.ResourceVersion, stored.SpecJson), (now!.ResourceVersion, now.SpecJson));
    }

    [Theory]
    [InlineData("kubernetes", true)]
    [InlineData("someone-else", false)]
    [InlineData(null, false)]
    public void FromKubernetes_OnlyWhatTheStoredVersionSaysCameFromKubernetes(string? source, bool owned)
    {
        var stored = new StoredConfig
        {
            Kind = "VirtualService", ApiVersion = "networking.istio.io/v1", Namespace = "bookinfo", Name = "reviews", SpecJson = "{}", Uid = "u",
            Annotations = source is null ? [] : new() { ["mesh.io/source"] = source },
        };
        Assert.Equal(owned, stored.FromKubernetes);
    }

    private IConfigGrain Grain(string name) => mesh.Grains.GetGrain<IConfigGrain>($"DestinationRule/{_namespace}/{name}");

    private static ConfigWrite Write(string specJson, bool fromSource = false) => new()
    {
        ApiVersion = "networking.istio.io/v1",
        SpecJson = specJson,
        Annotations = fromSource ? new() { ["mesh.io/source"] = "kubernetes" } : [],
        FromKubernetesSource = fromSource,
    };
}
