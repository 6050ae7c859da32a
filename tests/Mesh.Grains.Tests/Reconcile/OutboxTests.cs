using Mesh.Grains.Config;
using Mesh.Grains.Reconcile;
using Mesh.Grains.Services;

namespace Mesh.Grains.Tests.Reconcile;

/// <summary>A write whose derived state could not be updated (the service grain's storage failing, as when its silo
/// dies or Redis stalls) is still acknowledged, stays pending in the outbox, and the sweep brings the service to the
/// stored version once storage works again, without another write.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class OutboxTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";

    private string Host(string name) => $"{name}.{_namespace}.svc.cluster.local";

    [Fact]
    public async Task ServiceWritesFail_WriteAcknowledgedAndPending_SweepConvergesWhenStorageIsBack()
    {
        await ApplyVirtualService("reviews", ["reviews"], weight: 10);
        Assert.Equal(10, await WeightAt("reviews"));

        using (FaultyStorage.FailWrites(Host("reviews")))
        {
            var result = await ApplyVirtualService("reviews", ["reviews"], weight: 70);
            Assert.Equal(WriteOutcome.Configured, result.Outcome);
            Assert.Contains(Key("reviews"), await Pending("reviews"));
            await Task.Delay(600); // sweeps run and fail while storage is down
            Assert.Equal(10, await WeightAt("reviews"));
        }

        await Eventually.Until(async () => await WeightAt("reviews") == 70, "the sweep bringing the service to the stored weight");
        await Eventually.Until(async () => !(await Pending("reviews")).Contains(Key("reviews")), "the key leaving the outbox");
    }

    [Fact]
    public async Task HostsChangedWhileTheNewHostFails_OldHostClearedNow_NewHostOnceBack()
    {
        await ApplyVirtualService("reviews", ["old"], weight: 10);
        Assert.Equal(10, await WeightAt("old"));

        using (FaultyStorage.FailWrites(Host("new")))
        {
            await ApplyVirtualService("reviews", ["new"], weight: 20);
            Assert.Null(await WeightAt("old"));
            Assert.Null(await WeightAt("new"));
        }

        await Eventually.Until(async () => await WeightAt("new") == 20, "the new host getting the VirtualService");
        Assert.Null(await WeightAt("old"));
    }

    [Fact]
    public async Task DeleteWhileTheHostFails_ServiceLosesItOnceBack()
    {
        await ApplyVirtualService("reviews", ["reviews"], weight: 10);

        using (FaultyStorage.FailWrites(Host("reviews")))
        {
            var result = await Config("reviews").Delete(null, dryRun: false).Within();
            Assert.Equal(WriteOutcome.Deleted, result.Outcome);
            Assert.Equal(10, await WeightAt("reviews"));
        }

        await Eventually.Until(async () => await WeightAt("reviews") is null, "the deleted VirtualService leaving the service");
    }

    [Fact]
    public async Task OutboxItselfFails_WriteRefusedAndNothingStored()
    {
        var outbox = mesh.Grains.Outbox(Key("reviews")).GetGrainId();
        using (FaultyStorage.FailWrites(id => id == outbox))
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => ApplyVirtualService("reviews", ["reviews"], weight: 10));
            Assert.Contains("injected by the test", failure.ToString());
        }
        Assert.Null(await Config("reviews").Get().Within());
        Assert.Null(await WeightAt("reviews"));
    }

    private Task<WriteResult> ApplyVirtualService(string name, string[] hosts, int weight) => Config(name).Apply(new ConfigWrite
    {
        ApiVersion = "networking.istio.io/v1",
        SpecJson = $$$"""
            {"hosts":[{{{string.Join(",", hosts.Select(h => $"\"{h}\""))}}}],"http":[{"route":[
              {"destination":{"host":"{{{hosts[0]}}}","subset":"v1"},"weight":{{{weight}}}},
              {"destination":{"host":"{{{hosts[0]}}}","subset":"v2"},"weight":{{{100 - weight}}}}]}]}
            """,
    }).Within();

    /// <summary>The v1 weight the service grain of <paramref name="host"/> holds for the VirtualService; null without it.</summary>
    private async Task<int?> WeightAt(string host)
    {
        var model = await mesh.Grains.GetGrain<IServiceGrain>(Host(host)).GetModel().Within();
        var spec = model.VirtualServices.SingleOrDefault(v => v.Key == Key("reviews"))?.SpecJson;
        return spec is null ? null : System.Text.Json.Nodes.JsonNode.Parse(spec)!["http"]![0]!["route"]![0]!["weight"]!.GetValue<int>();
    }

    private string Key(string name) => $"VirtualService/{_namespace}/{name}";

    private IConfigGrain Config(string name) => mesh.Grains.GetGrain<IConfigGrain>(Key(name));

    private Task<IReadOnlyList<string>> Pending(string name) => mesh.Grains.GetGrain<IOutboxGrain>(OutboxBuckets.Of(Key(name))).Pending().Within();
}
