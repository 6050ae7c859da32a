using Mesh.Grains.Config;
using Mesh.Grains.Gateways;

namespace Mesh.Grains.Tests.Gateways;

/// <summary>Gateways and the VirtualServices bound to them become gateway grains and directory entries through
/// ConfigDependents, so they converge like every derived state (the outbox).</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class GatewayGrainTests(MeshCluster mesh)
{
    private readonly string _namespace = $"gw-{Guid.NewGuid():N}";
    private readonly string _other = $"web-{Guid.NewGuid():N}";

    private string GatewayKey => $"Gateway/{_namespace}/ingress";

    [Fact]
    public async Task Gateway_and_bound_VirtualServices_reach_the_gateway_grain_and_the_directory()
    {
        await ApplyGateway("""{"istio": "ingressgateway"}""");
        await ApplyVirtualService(_namespace, "local", """["ingress"]""");
        await ApplyVirtualService(_other, "remote", $"[\"{_namespace}/ingress\", \"mesh\"]");
        await ApplyVirtualService(_other, "mesh-only", """["mesh"]""");

        var model = await Gateway().GetModel().Within();
        Assert.Equal(GatewayKey, model.Gateway?.Key);
        Assert.Equal([$"VirtualService/{_namespace}/local", $"VirtualService/{_other}/remote"], model.Routes.Select(r => r.Key));
        var selection = Assert.Single(await Directory(), s => s.GatewayKey == GatewayKey);
        Assert.Equal("ingressgateway", selection.Labels["istio"]);
        Assert.Null(selection.Namespace);
        Assert.True(selection.Selects("anywhere", new Dictionary<string, string> { ["istio"] = "ingressgateway", ["app"] = "x" }));
        Assert.False(selection.Selects("anywhere", new Dictionary<string, string> { ["istio"] = "egressgateway" }));
    }

    [Fact]
    public async Task A_VirtualService_that_stops_naming_the_gateway_leaves_it_and_a_deleted_gateway_leaves_the_directory()
    {
        await ApplyGateway("""{"istio": "ingressgateway"}""");
        await ApplyVirtualService(_namespace, "vs", """["ingress"]""");
        Assert.Single((await Gateway().GetModel().Within()).Routes);

        await ApplyVirtualService(_namespace, "vs", """["mesh"]""");
        Assert.Empty((await Gateway().GetModel().Within()).Routes);

        await Config($"Gateway/{_namespace}/ingress").Delete(null, dryRun: false).Within();
        Assert.Null((await Gateway().GetModel().Within()).Gateway);
        Assert.DoesNotContain(await Directory(), s => s.GatewayKey == GatewayKey);
    }

    [Fact]
    public async Task Gateway_grain_writes_failing_the_apply_is_acknowledged_and_the_sweep_binds_the_route_once_back()
    {
        await ApplyGateway("""{"istio": "ingressgateway"}""");
        using (FaultyStorage.FailWrites(GatewayKey))
        {
            await ApplyVirtualService(_namespace, "vs", """["ingress"]""");
            Assert.Empty((await Gateway().GetModel().Within()).Routes);
        }

        await Eventually.Until(async () => (await Gateway().GetModel().Within()).Routes.Count == 1, "the sweep binding the route to the gateway");
    }

    private IGatewayGrain Gateway() => mesh.Grains.GetGrain<IGatewayGrain>(GatewayKey);

    private async Task<List<GatewaySelection>> Directory() =>
        await mesh.Grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.Key).GetAll().Within();

    private IConfigGrain Config(string key) => mesh.Grains.GetGrain<IConfigGrain>(key);

    private Task<WriteResult> ApplyGateway(string selector) => Config(GatewayKey).Apply(new ConfigWrite
    {
        ApiVersion = "networking.istio.io/v1",
        SpecJson = $$"""{"selector": {{selector}}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}""",
    }).Within();

    private Task<WriteResult> ApplyVirtualService(string @namespace, string name, string gateways) => Config($"VirtualService/{@namespace}/{name}").Apply(new ConfigWrite
    {
        ApiVersion = "networking.istio.io/v1",
        SpecJson = $$"""{"hosts": ["{{name}}.example.com"], "gateways": {{gateways}}, "http": [{"route": [{"destination": {"host": "app"}""" + "}]}]}",
    }).Within();
}
