using System.Text.Json.Nodes;
using k8s;
using Mesh.Config.Kinds;
using Mesh.Config.Validation;
using Mesh.Kubernetes.Fake;
using Mesh.Kubernetes.Status;
using Mesh.Silo.Kubernetes.Status;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Silo.Tests.Kubernetes.Status;

/// <summary>The status writer against the fake API server, read back with real kubectl as a user would.</summary>
public sealed class StatusWriterTests : IAsyncLifetime
{
    private const string Route = "reviews.bookinfo.svc.cluster.local:9080";
    private const string VirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          hosts: [reviews]
          http:
          - route: [{destination: {host: reviews, subset: v1}}]
        """;
    private static readonly DateTimeOffset Changed = DateTimeOffset.UtcNow.AddMinutes(-1);
    private readonly FleetInputs _fleet = new();
    private FakeApiServer _server = null!;
    private k8s.Kubernetes _client = null!;
    private Kubectl _kubectl = null!;
    private StatusWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start(new FakeApiServerOptions { Namespaces = ["default", "bookinfo"] });
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _server.Url.ToString().TrimEnd('/') });
        _kubectl = new Kubectl(_server.Url);
        _writer = new StatusWriter(_fleet, new KubernetesObjectStatus(_client), new StatusWriterOptions(), TimeProvider.System, NullLogger<StatusWriter>.Instance);
        (await _kubectl.Apply(VirtualService)).Succeeded();
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task An_accepted_object_shows_Reconciled_True_its_generation_and_the_proxies_running_it()
    {
        _fleet.Proxy("sidecar~10.0.0.1~a.bookinfo", Changed.AddSeconds(1), acked: true);
        _fleet.Proxy("sidecar~10.0.0.2~b.bookinfo", Changed.AddSeconds(-30), acked: true);
        _writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1, []));
        await _writer.Round(CancellationToken.None);

        var status = await Status();
        Assert.Equal(1, status["observedGeneration"]!.GetValue<long>());
        var reconciled = status["conditions"]![0]!;
        Assert.Equal(("Reconciled", "True", "Accepted", 1L), (reconciled["type"]!.GetValue<string>(), reconciled["status"]!.GetValue<string>(),
            reconciled["reason"]!.GetValue<string>(), reconciled["observedGeneration"]!.GetValue<long>()));
        Assert.Equal((2, 1, 0), (status["fleet"]!["proxies"]!.GetValue<int>(), status["fleet"]!["running"]!.GetValue<int>(), status["fleet"]!["nacked"]!.GetValue<int>()));
        // meshctl get -o yaml shows the same document.
        Assert.True(JsonNode.DeepEquals(status, _fleet.Stored["VirtualService/bookinfo/reviews"]));
    }

    [Fact]
    public async Task A_refused_object_shows_its_field_errors_as_validationMessages()
    {
        _writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1,
            [new FieldError("spec.http[0].route[0].weight", "must be between 0 and 100")]));
        await _writer.Round(CancellationToken.None);

        var yaml = (await _kubectl.Run("", "get", "virtualservice", "reviews", "-n", "bookinfo", "-o", "yaml")).Succeeded().Output;
        Assert.Contains("reason: Invalid", yaml);
        Assert.Contains("code: IST0106", yaml);
        Assert.Contains("description: 'spec.http[0].route[0].weight: must be between 0 and 100'", yaml);
        Assert.DoesNotContain("fleet:", yaml);
    }

    [Fact]
    public async Task A_proxys_NACK_shows_with_its_error_and_clears_when_it_ACKs()
    {
        _fleet.Proxy("sidecar~10.0.0.1~a.bookinfo", Changed.AddSeconds(1), acked: false, nack: $"RouteConfiguration {Route}: route 0: unsupported");
        _writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1, []));
        await _writer.Round(CancellationToken.None);

        var yaml = (await _kubectl.Run("", "get", "virtualservice", "reviews", "-n", "bookinfo", "-o", "yaml")).Succeeded().Output;
        Assert.Contains("reason: Rejected", yaml);
        Assert.Contains("proxy: sidecar~10.0.0.1~a.bookinfo", yaml);
        // kubectl folds long strings, so the error is compared whole in the JSON.
        Assert.Contains("unsupported", yaml);
        Assert.Equal($"RouteConfiguration {Route}: route 0: unsupported", (await Status())["fleet"]!["nacks"]![0]!["error"]!.GetValue<string>());

        _fleet.Proxy("sidecar~10.0.0.1~a.bookinfo", Changed.AddSeconds(5), acked: true);
        await _writer.Round(CancellationToken.None);
        var status = await Status();
        Assert.Equal("True", status["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.Null(status["fleet"]!["nacks"]);
    }

    [Fact]
    public async Task An_unchanged_status_is_not_written_again()
    {
        _fleet.Proxy("sidecar~10.0.0.1~a.bookinfo", Changed.AddSeconds(1), acked: true);
        _writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1, []));
        await _writer.Round(CancellationToken.None);
        _server.Requests.Reset();

        await _writer.Round(CancellationToken.None);
        _writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1, []));
        await _writer.Round(CancellationToken.None);

        Assert.Empty(_server.Requests.All);
    }

    [Fact]
    public async Task A_conflicting_write_in_between_is_read_again_and_the_status_still_lands()
    {
        var objects = new KubernetesObjectStatus(_client);
        var computed = 0;
        var status = await objects.Write(ResourceKinds.VirtualService, "bookinfo", "reviews", previous =>
        {
            // The first time, someone else changes the object after it was read: the replace gets 409.
            if (computed++ == 0) _kubectl.Run("", "label", "virtualservice", "reviews", "-n", "bookinfo", "team=a").GetAwaiter().GetResult().Succeeded();
            return new JsonObject { ["observedGeneration"] = 1 };
        }, CancellationToken.None);

        Assert.Equal(2, computed);
        Assert.NotNull(status);
        Assert.Equal(1, (await Status())["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_object_removed_is_no_longer_written()
    {
        _writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1, []));
        _writer.Removed(ResourceKinds.VirtualService, "bookinfo", "reviews");
        await _writer.Round(CancellationToken.None);

        Assert.Null((await Object())["status"]);
    }

    [Fact]
    public async Task A_failed_write_is_tried_again_only_after_its_back_off()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var unreachable = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var writer = new StatusWriter(_fleet, new KubernetesObjectStatus(unreachable), new StatusWriterOptions(), time, NullLogger<StatusWriter>.Instance);
        writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1, []));

        await writer.Round(CancellationToken.None);
        Assert.Equal(1, _fleet.ProxyReads);
        await writer.Round(CancellationToken.None);
        Assert.Equal(1, _fleet.ProxyReads); // nothing due: no fleet read, no call

        time.Advance(TimeSpan.FromMinutes(2));
        await writer.Round(CancellationToken.None);
        Assert.Equal(2, _fleet.ProxyReads);
    }

    [Fact]
    public async Task A_NACK_pushed_by_the_proxy_feeds_reaches_kubectl_well_before_the_safety_poll()
    {
        var writer = new StatusWriter(_fleet, new KubernetesObjectStatus(_client), new StatusWriterOptions { SafetyPoll = TimeSpan.FromMinutes(5) },
            TimeProvider.System, NullLogger<StatusWriter>.Instance);
        _fleet.Proxy("sidecar~10.0.0.1~a.bookinfo", Changed.AddSeconds(1), acked: true);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            writer.Observed(new SourcedObject(ResourceKinds.VirtualService, "bookinfo", "reviews", 1, []));
            await Until(async () => (await Object())["status"]?["fleet"]?["running"]?.GetValue<int>() == 1, "the first status");
            Assert.NotNull(_fleet.Wake);

            _fleet.Proxy("sidecar~10.0.0.1~a.bookinfo", Changed.AddSeconds(5), acked: false, nack: $"RouteConfiguration {Route}: bad");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            _fleet.Wake!();
            await Until(async () => (await Object())["status"]?["fleet"]?["nacked"]?.GetValue<int>() == 1, "the pushed NACK");

            // The safety poll is 5 minutes: well under one shows the push (a loaded machine can take a second or two).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
            // The push re-read only what changed: the first round was whole, the pushed one was not.
            Assert.Equal([true, false], _fleet.Reads.Take(2));
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public void Advance(TimeSpan by) => now += by;

        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task A_Gateway_API_route_and_class_get_the_grains_status_at_their_Kubernetes_generation_once_it_caught_up()
    {
        (await _kubectl.Apply($$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: mesh}
            spec: {controllerName: {{Mesh.Config.GatewayApi.GatewayApiNames.ControllerName}}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              parentRefs: [{name: edge}]
              rules: [{backendRefs: [{name: reviews, port: 9080}]}]
            """)).Succeeded();
        _fleet.GatewayApi["mesh"] = new GatewayApiStored(3, JsonNode.Parse("""{"conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted", "observedGeneration": 3}]}""")!.AsObject());
        // The grain has generation 2 stored, its status is still of generation 1: nothing to write yet.
        var parents = $$"""
            {"parents": [{"parentRef": {"name": "edge"}, "controllerName": "{{Mesh.Config.GatewayApi.GatewayApiNames.ControllerName}}",
              "conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted", "observedGeneration": GEN}]}]}
            """;
        _fleet.GatewayApi["reviews"] = new GatewayApiStored(2, JsonNode.Parse(parents.Replace("GEN", "1"))!.AsObject());
        _writer.Observed(new SourcedObject(ResourceKinds.GatewayClass, "", "mesh", 1, []));
        _writer.Observed(new SourcedObject(ResourceKinds.HttpRoute, "bookinfo", "reviews", 1, []));
        Assert.Equal(["", "bookinfo"], _fleet.FollowedNamespaces);
        await _writer.Round(CancellationToken.None);

        var route = await GatewayApiObject("bookinfo", "httproutes", "reviews");
        Assert.Null(route["status"]);
        var gatewayClass = JsonNode.Parse((await _kubectl.Run("", "get", "gatewayclass", "mesh", "-o", "json")).Succeeded().Output)!;
        Assert.Equal(("Accepted", "True", 1L), (gatewayClass["status"]!["conditions"]![0]!["type"]!.GetValue<string>(),
            gatewayClass["status"]!["conditions"]![0]!["status"]!.GetValue<string>(), gatewayClass["status"]!["conditions"]![0]!["observedGeneration"]!.GetValue<long>()));

        _fleet.GatewayApi["reviews"] = new GatewayApiStored(2, JsonNode.Parse(parents.Replace("GEN", "2"))!.AsObject());
        await _writer.Round(CancellationToken.None);
        route = await GatewayApiObject("bookinfo", "httproutes", "reviews");
        Assert.Equal(1, route["status"]!["parents"]![0]!["conditions"]![0]!["observedGeneration"]!.GetValue<long>());
        // The config grain keeps the Gateway API grain's own status: nothing is stored back.
        Assert.Empty(_fleet.Stored);
    }

    [Fact]
    public async Task A_route_refused_from_its_first_generation_gets_Accepted_False_only_under_a_Gateway_of_Meshs()
    {
        (await _kubectl.Apply("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              parentRefs: [{name: edge}]
              rules: [{backendRefs: [{name: reviews, port: 0}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: ratings, namespace: bookinfo}
            spec:
              parentRefs: [{name: someone-elses}]
              rules: [{backendRefs: [{name: ratings, port: 0}]}]
            """)).Succeeded();
        // Mesh's Gateway "edge" has a status from the Gateway API grain; "someone-elses" has none (another class).
        _fleet.GatewayApi["edge"] = new GatewayApiStored(1, JsonNode.Parse("""{"conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted", "observedGeneration": 1}]}""")!.AsObject());
        FieldError[] problems = [new("spec.rules[0].backendRefs[0].port", "must be between 1 and 65535")];
        _writer.Observed(new SourcedObject(ResourceKinds.HttpRoute, "bookinfo", "reviews", 1, problems));
        _writer.Observed(new SourcedObject(ResourceKinds.HttpRoute, "bookinfo", "ratings", 1, problems));
        await _writer.Round(CancellationToken.None);

        var accepted = (await GatewayApiObject("bookinfo", "httproutes", "reviews"))["status"]!["parents"]![0]!["conditions"]![0]!;
        Assert.Equal(("False", GatewayApiObjectStatus.RouteInvalid), (accepted["status"]!.GetValue<string>(), accepted["reason"]!.GetValue<string>()));
        Assert.Contains("spec.rules[0].backendRefs[0].port", accepted["message"]!.GetValue<string>());
        Assert.Null((await GatewayApiObject("bookinfo", "httproutes", "ratings"))["status"]);
    }

    private async Task<JsonObject> GatewayApiObject(string ns, string plural, string name) => System.Text.Json.JsonSerializer.SerializeToNode(
        await _client.CustomObjects.GetNamespacedCustomObjectAsync("gateway.networking.k8s.io", "v1", ns, plural, name))!.AsObject();

    private async Task<JsonObject> Object() => System.Text.Json.JsonSerializer.SerializeToNode(
        await _client.CustomObjects.GetNamespacedCustomObjectAsync("networking.istio.io", "v1", "bookinfo", "virtualservices", "reviews"))!.AsObject();

    private async Task<JsonObject> Status() => (await Object())["status"]!.AsObject();

    /// <summary>The mesh as the writer reads it: the object's spec as stored, and proxies holding its route configuration.</summary>
    private sealed class FleetInputs : IFleetInputs
    {
        private readonly Dictionary<string, ProxySnapshot> _proxies = [];
        public Dictionary<string, JsonObject> Stored { get; } = [];

        public void Proxy(string node, DateTimeOffset sentAt, bool acked, string nack = "") =>
            _proxies[node] = new ProxySnapshot(node, [new ProxyTypeSnapshot(TypeUrls.Route, [Route], sentAt, acked, nack, nack.Length > 0 ? sentAt : null)]);

        public Task<StoredSpec?> Spec(ResourceKind kind, string @namespace, string name) => Task.FromResult<StoredSpec?>(new StoredSpec(
            JsonNode.Parse("""{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""")!.AsObject(), Changed));

        public int ProxyReads => Reads.Count;

        /// <summary>Each read, whole or not.</summary>
        public List<bool> Reads { get; } = [];

        public Action? Wake { get; private set; }

        public void Follow(Action changed) => Wake = changed;

        /// <summary>The Gateway API grain's status by name.</summary>
        public Dictionary<string, GatewayApiStored> GatewayApi { get; } = [];

        public List<string> FollowedNamespaces { get; } = [];

        public Task<GatewayApiStored?> GatewayApiStatus(ResourceKind kind, string @namespace, string name) =>
            Task.FromResult(GatewayApi.GetValueOrDefault(name));

        public void FollowGatewayApi(string @namespace, Action changed) => FollowedNamespaces.Add(@namespace);

        public Task<IReadOnlyList<ProxySnapshot>> Proxies(bool whole)
        {
            Reads.Add(whole);
            return Task.FromResult<IReadOnlyList<ProxySnapshot>>([.. _proxies.Values]);
        }

        public Task SetStatus(ResourceKind kind, string @namespace, string name, JsonObject status)
        {
            Stored[$"{kind.Kind}/{@namespace}/{name}"] = status;
            return Task.CompletedTask;
        }
    }
}
