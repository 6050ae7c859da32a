using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Config.Kinds;
using Mesh.Grains.Config;
using Mesh.Grains.GatewayApi;
using Mesh.Grains.Gateways;

namespace Mesh.Grains.Tests.GatewayApi;

/// <summary>Gateway API resources applied to config grains become the gateway grain and directory entry of their
/// Gateway (through ConfigDependents and the Gateway API grain), and each resource's status is written back.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class GatewayApiGrainTests(MeshCluster mesh)
{
    private readonly string _ns = $"gwapi-{Guid.NewGuid():N}";
    private readonly string _class = $"mesh-{Guid.NewGuid():N}";

    private string GatewayKey => $"{KindNames.GatewayApiGateway}/{_ns}/edge";
    private string RouteKey => $"{KindNames.HttpRoute}/{_ns}/web";

    [Fact]
    public async Task Gateway_and_HTTPRoute_reach_the_gateway_grain_and_the_directory_as_converted_views()
    {
        await Infrastructure();
        await ApplyRoute("web");

        await Eventually.Until(async () => (await Gateway().GetModel().Within()).Routes.Count == 1, "the converted route on the gateway grain");
        var model = await Gateway().GetModel().Within();
        var gateway = ConvertedViews.Gateway(model.Gateway!.SpecJson);
        Assert.Equal("edge", gateway.Selector[GatewayApiNames.GatewayNameLabel]);
        Assert.Equal(80, Assert.Single(gateway.Servers).Port.Number);
        var route = ConvertedViews.VirtualService(Assert.Single(model.Routes).SpecJson);
        Assert.Equal(["web.example.com"], route.Hosts);
        Assert.Equal([GatewayApiNames.GatewayReference(_ns, "edge")], route.Gateways);
        Assert.Equal($"web.{_ns}.svc.cluster.local", Assert.Single(Assert.Single(route.Http).Route!).Destination.Host);

        var selection = Assert.Single(await Directory(), s => s.GatewayKey == GatewayKey);
        Assert.Equal(_ns, selection.Namespace);
        Assert.True(selection.Selects(_ns, new Dictionary<string, string> { [GatewayApiNames.GatewayNameLabel] = "edge" }));
        Assert.False(selection.Selects("elsewhere", new Dictionary<string, string> { [GatewayApiNames.GatewayNameLabel] = "edge" }));
    }

    [Fact]
    public async Task A_route_to_a_missing_Service_is_BackendNotFound_and_fixing_it_turns_ResolvedRefs_true_at_the_new_generation()
    {
        await Infrastructure();
        await ApplyRoute("nowhere");
        var missing = await ResolvedRefs(c => c?["reason"]?.GetValue<string>() == "BackendNotFound");
        Assert.Equal("False", missing["status"]!.GetValue<string>());
        Assert.Equal(1, missing["observedGeneration"]!.GetValue<long>());

        await ApplyRoute("web");
        var resolved = await ResolvedRefs(c => c?["status"]?.GetValue<string>() == "True");
        Assert.Equal(2, resolved["observedGeneration"]!.GetValue<long>());
        var stored = await Config(RouteKey).Get().Within();
        Assert.Equal(2, stored!.Generation); // status writes move resourceVersion only
        Assert.True(stored.ResourceVersion > 2);
    }

    [Fact]
    public async Task A_route_applied_before_its_backend_resolves_when_the_ServiceEntry_is_applied_and_breaks_when_it_is_deleted()
    {
        await Infrastructure();
        await ApplyRoute("late");
        await ResolvedRefs(c => c?["reason"]?.GetValue<string>() == "BackendNotFound");

        // Told by ConfigDependents, not found by a timer: the safety recheck (30 s) is far beyond the wait's bound.
        var late = $"{KindNames.ServiceEntry}/{_ns}/late";
        await Apply(late, ServiceEntrySpec("late"), "networking.istio.io/v1");
        await ResolvedRefs(c => c?["status"]?.GetValue<string>() == "True");
        await Eventually.Until(async () => (await Gateway().GetModel().Within()).Routes.Count == 1, "the route on the gateway grain");

        // Nothing was unresolved any more, so only being told can find the backend gone.
        await Config(late).Delete(null, dryRun: false).Within();
        await ResolvedRefs(c => c?["reason"]?.GetValue<string>() == "BackendNotFound");
    }

    [Fact]
    public async Task A_Gateway_whose_certificate_is_created_later_is_programmed_once_the_secret_grain_stores_it()
    {
        await Infrastructure();
        var key = $"{KindNames.GatewayApiGateway}/{_ns}/secure";
        await Apply(key, $$$"""
            {"gatewayClassName": "{{{_class}}}", "listeners": [{"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "www.example.com",
              "tls": {"mode": "Terminate", "certificateRefs": [{"name": "www-cert"}]}}]}
            """);
        await ListenerResolvedRefs(key, reason: "InvalidCertificateRef");

        var secret = mesh.Grains.GetGrain<Mesh.Grains.Secrets.ISecretGrain>($"{_ns}/www-cert");
        Assert.Empty((await secret.Put(Secrets.TestCredentials.Server()).Within()).Problems);
        await ListenerResolvedRefs(key, reason: "ResolvedRefs");

        await secret.Delete().Within();
        await ListenerResolvedRefs(key, reason: "InvalidCertificateRef");
    }

    private async Task ListenerResolvedRefs(string gatewayKey, string reason) => await Eventually.Until(async () =>
        Status(await Config(gatewayKey).Get().Within())?["listeners"]?[0]?["conditions"] is JsonArray conditions
        && Condition(conditions, "ResolvedRefs")["reason"]?.GetValue<string>() == reason, $"the listener's ResolvedRefs {reason}");

    [Fact]
    public async Task Gateway_status_shows_programmed_listeners_with_their_attached_routes_and_an_apply_keeps_it()
    {
        await Infrastructure();
        await ApplyRoute("web");
        await Eventually.Until(async () => Status(await Config(GatewayKey).Get().Within())?["listeners"]?[0]?["attachedRoutes"]?.GetValue<int>() == 1,
            "the gateway's listener counting its route");
        var status = Status(await Config(GatewayKey).Get().Within())!;
        Assert.Equal("True", Condition(status["conditions"], "Programmed")["status"]!.GetValue<string>());

        await Apply(GatewayKey, GatewaySpec, labels: new() { ["team"] = "edge" });
        Assert.NotNull(Status(await Config(GatewayKey).Get().Within()));
    }

    [Fact]
    public async Task A_deleted_Gateway_leaves_its_gateway_grain_and_the_directory()
    {
        await Infrastructure();
        await ApplyRoute("web");
        await Eventually.Until(async () => (await Gateway().GetModel().Within()).Gateway is not null, "the converted gateway");

        await Config(GatewayKey).Delete(null, dryRun: false).Within();
        await Eventually.Until(async () => (await Gateway().GetModel().Within()) is { Gateway: null, Routes.Count: 0 }, "the gateway grain cleared");
        Assert.DoesNotContain(await Directory(), s => s.GatewayKey == GatewayKey);
    }

    [Fact]
    public async Task A_Gateway_whose_class_is_gone_loses_its_status()
    {
        await Infrastructure();
        await Eventually.Until(async () => (await Config(GatewayKey).Get().Within())?.StatusJson is not null, "the gateway's status");

        await Config($"{KindNames.GatewayClass}/{ResourceKinds.ClusterNamespace}/{_class}").Delete(null, dryRun: false).Within();
        await Eventually.Until(async () => (await Config(GatewayKey).Get().Within())?.StatusJson is null, "the gateway's status taken away");
    }

    private string GatewaySpec => $$"""{"gatewayClassName": "{{_class}}", "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]}""";

    private async Task Infrastructure()
    {
        await Apply($"{KindNames.ServiceEntry}/{_ns}/web", ServiceEntrySpec("web"), "networking.istio.io/v1");
        await Apply($"{KindNames.GatewayClass}/{ResourceKinds.ClusterNamespace}/{_class}", $$"""{"controllerName": "{{GatewayApiNames.ControllerName}}"}""");
        await Apply(GatewayKey, GatewaySpec);
    }

    private string ServiceEntrySpec(string service) =>
        $$"""{"hosts": ["{{service}}.{{_ns}}.svc.cluster.local"], "ports": [{"number": 8080, "name": "http", "protocol": "HTTP"}], "resolution": "STATIC"}""";

    private Task ApplyRoute(string backend) => Apply(RouteKey, $$"""
        {"parentRefs": [{"name": "edge"}], "hostnames": ["web.example.com"],
         "rules": [{"backendRefs": [{"name": "{{backend}}", "port": 8080}]}]}
        """);

    private async Task<JsonObject> ResolvedRefs(Func<JsonObject?, bool> until)
    {
        JsonObject? found = null;
        await Eventually.Until(async () =>
        {
            var parents = Status(await Config(RouteKey).Get().Within())?["parents"] as JsonArray;
            found = parents is [JsonObject parent, ..] ? Condition(parent["conditions"], "ResolvedRefs") : null;
            return until(found);
        }, "the route's ResolvedRefs condition");
        return found!;
    }

    private static JsonObject? Status(StoredConfig? config) => config?.StatusJson is { } json ? JsonNode.Parse(json) as JsonObject : null;

    private static JsonObject Condition(JsonNode? conditions, string type)
        => ((JsonArray)conditions!).OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);

    private IGatewayGrain Gateway() => mesh.Grains.GetGrain<IGatewayGrain>(GatewayKey);

    private async Task<List<GatewaySelection>> Directory() =>
        await mesh.Grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.Key).GetAll().Within();

    private IConfigGrain Config(string key) => mesh.Grains.GetGrain<IConfigGrain>(key);

    private Task<WriteResult> Apply(string key, string spec, string apiVersion = "gateway.networking.k8s.io/v1", Dictionary<string, string>? labels = null)
        => Config(key).Apply(new ConfigWrite { ApiVersion = apiVersion, SpecJson = spec, Labels = labels ?? [] }).Within();
}
