using Mesh.Grains.Config;
using Mesh.Grains.Services;

namespace Mesh.Grains.Tests.Config;

/// <summary>End to end through config grains: ServiceEntries, WorkloadEntries and DestinationRules as applied
/// show up as a service's endpoints.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class ConfigDependentsTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";

    private string Host => $"reviews.{_namespace}.svc.cluster.local";

    [Fact]
    public async Task ServiceEntryThenWorkloads_EndpointsPerPortAndSubset()
    {
        await ApplyServiceEntry();
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");
        await ApplyWorkload("vm-2", "10.0.0.2", "v2");
        await ApplySubsets();

        var port = Assert.Single((await Endpoints()).Ports);

        Assert.Equal(9080, port.Port.Number);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], port.Endpoints.Select(e => e.Address));
        Assert.All(port.Endpoints, e => Assert.Equal(9080, e.Port));
        Assert.Equal(["10.0.0.1"], port.Subsets["v1"].Select(e => e.Address));
        Assert.Equal(["10.0.0.2"], port.Subsets["v2"].Select(e => e.Address));
    }

    [Fact]
    public async Task WorkloadsThenServiceEntry_SelectorPicksExistingWorkloads()
    {
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");
        await ApplyWorkload("vm-2", "10.0.0.2", "v2");
        await ApplyWorkload("other", "10.0.0.3", "v1", app: "ratings");
        await ApplySubsets();
        await ApplyServiceEntry();

        var port = Assert.Single((await Endpoints()).Ports);

        Assert.Equal([$"{_namespace}/vm-1", $"{_namespace}/vm-2"], port.Endpoints.Select(e => e.WorkloadKey));
        Assert.Single(port.Subsets["v1"]);
        Assert.Single(port.Subsets["v2"]);
    }

    [Fact]
    public async Task WorkloadLabelsChanged_LeavesItsSubset()
    {
        await ApplyServiceEntry();
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");
        await ApplyWorkload("vm-2", "10.0.0.2", "v2");
        await ApplySubsets();

        await ApplyWorkload("vm-2", "10.0.0.2", "v1");

        var port = Assert.Single((await Endpoints()).Ports);
        Assert.Equal(2, port.Endpoints.Count);
        Assert.Empty(port.Subsets["v2"]);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], port.Subsets["v1"].Select(e => e.Address));
    }

    [Fact]
    public async Task WorkloadNoLongerSelected_LeavesTheService()
    {
        await ApplyServiceEntry();
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");
        await ApplyWorkload("vm-2", "10.0.0.2", "v2");

        await ApplyWorkload("vm-2", "10.0.0.2", "v2", app: "ratings");

        Assert.Equal(["10.0.0.1"], (await Endpoints()).Ports.Single().Endpoints.Select(e => e.Address));
    }

    [Fact]
    public async Task WorkloadDeleted_EndpointGone()
    {
        await ApplyServiceEntry();
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");
        await ApplyWorkload("vm-2", "10.0.0.2", "v2");
        await ApplySubsets();

        await Config("WorkloadEntry", "vm-1").Delete(null, dryRun: false).Within();

        var port = Assert.Single((await Endpoints()).Ports);
        Assert.Equal(["10.0.0.2"], port.Endpoints.Select(e => e.Address));
        Assert.Empty(port.Subsets["v1"]);
    }

    [Fact]
    public async Task ServiceEntryDeleted_NoPorts()
    {
        await ApplyServiceEntry();
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");
        await ApplySubsets();

        await Config("ServiceEntry", "reviews").Delete(null, dryRun: false).Within();

        var endpoints = await Endpoints();
        Assert.Empty(endpoints.Ports);
        Assert.Empty(endpoints.ServiceEntries);
    }

    [Fact]
    public async Task WorkloadPortOverride_UsedForItsEndpoint()
    {
        await ApplyServiceEntry();

        await ApplyWorkload("vm-1", "10.0.0.1", "v1", ports: """{"http":8080}""");

        Assert.Equal(8080, (await Endpoints()).Ports.Single().Endpoints.Single().Port);
    }

    [Fact]
    public async Task DestinationRuleDeleted_SubsetsGone()
    {
        await ApplyServiceEntry();
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");
        await ApplySubsets();

        await Config("DestinationRule", "reviews").Delete(null, dryRun: false).Within();

        Assert.Empty((await Endpoints()).Ports.Single().Subsets);
    }

    [Fact]
    public async Task ServiceEntryHostChanged_OldHostLosesIt()
    {
        await ApplyServiceEntry();
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");

        var newHost = $"reviews-2.{_namespace}.svc.cluster.local";
        await Apply("ServiceEntry", "reviews", $$"""
            {"hosts":["{{newHost}}"],"ports":[{"number":9080,"name":"http","protocol":"HTTP"}],
             "workloadSelector":{"labels":{"app":"reviews"} } }
            """);

        Assert.Empty((await Endpoints()).Ports);
        var moved = await mesh.Grains.GetGrain<IServiceGrain>(newHost).GetEndpoints().Within();
        Assert.Equal(["10.0.0.1"], moved.Ports.Single().Endpoints.Select(e => e.Address));
    }

    [Fact]
    public async Task ServiceEntryAddresses_EachVipGrainStandsForTheHostAndLeavesWhenTheAddressDoes()
    {
        var (vip, other) = ($"198.18.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 128)}", $"198.19.{Random.Shared.Next(256)}.{Random.Shared.Next(128, 255)}");
        await ApplyServiceEntry(addresses: $"\"{vip}\"");
        await ApplyWorkload("vm-1", "10.0.0.1", "v1");

        var alias = await Model(vip);
        Assert.Equal(Host, alias.AliasOf);
        Assert.Equal(["10.0.0.1"], alias.Ports.Single().Endpoints.Select(e => e.Address));
        Assert.Equal([vip], (await Model(Host)).Addresses);

        await ApplyServiceEntry(addresses: $"\"{other}/32\"");

        Assert.True((await Model(vip)).IsEmpty);
        Assert.Null((await Model(vip)).AliasOf);
        Assert.Equal(Host, (await Model(other)).AliasOf);
        Assert.Equal([other], (await Model(Host)).Addresses);
    }

    private Task<ServiceModel> Model(string key) => mesh.Grains.GetGrain<IServiceGrain>(key).GetModel().Within();

    private async Task ApplyServiceEntry(string addresses) => await Apply("ServiceEntry", "reviews", $$"""
        {"hosts":["{{Host}}"],"addresses":[{{addresses}}],"location":"MESH_INTERNAL","resolution":"STATIC",
         "ports":[{"number":9080,"name":"http","protocol":"HTTP"}],
         "workloadSelector":{"labels":{"app":"reviews"} } }
        """);

    private async Task ApplyServiceEntry() => await Apply("ServiceEntry", "reviews", $$"""
        {"hosts":["{{Host}}"],"location":"MESH_INTERNAL","resolution":"STATIC",
         "ports":[{"number":9080,"name":"http","protocol":"HTTP"}],
         "workloadSelector":{"labels":{"app":"reviews"} } }
        """);

    private async Task ApplyWorkload(string name, string address, string version, string app = "reviews", string ports = "{}") =>
        await Apply("WorkloadEntry", name, $$$"""
            {"address":"{{{address}}}","ports":{{{ports}}},"labels":{"app":"{{{app}}}","version":"{{{version}}}"}}
            """);

    private async Task ApplySubsets() => await Apply("DestinationRule", "reviews", """
        {"host":"reviews","subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v2"}}]}
        """);

    private async Task Apply(string kind, string name, string specJson)
    {
        var result = await Config(kind, name).Apply(new ConfigWrite { ApiVersion = "networking.istio.io/v1", SpecJson = specJson }).Within();
        Assert.Contains(result.Outcome, new[] { WriteOutcome.Created, WriteOutcome.Configured });
    }

    private IConfigGrain Config(string kind, string name) => mesh.Grains.GetGrain<IConfigGrain>($"{kind}/{_namespace}/{name}");

    private Task<ServiceEndpoints> Endpoints() => mesh.Grains.GetGrain<IServiceGrain>(Host).GetEndpoints().Within();
}
