using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>Gateway API objects applied with kubectl get the Gateway API's own status back, as another implementation
/// would write it: a route's <c>parents[]</c> with Accepted and ResolvedRefs, a Gateway's conditions and listeners, a
/// GatewayClass's Accepted, each at the object's <c>metadata.generation</c>.</summary>
public sealed class GatewayApiStatusTests(KubernetesSilo cluster, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<KubernetesSilo>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Kubectl_shows_the_Gateway_API_status_of_a_class_a_gateway_and_its_routes_and_follows_changes()
    {
        await cluster.Apply($$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: edge}
            ---
            {{Service("reviews", 1)}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: mesh}
            spec: {controllerName: {{GatewayApiNames.ControllerName}}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web, namespace: edge}
            spec:
              gatewayClassName: mesh
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            {{Route("reviews", "reviews")}}
            ---
            {{Route("ratings", "ratings")}}
            """);

        var gatewayClass = await Until(() => Get("gatewayclass", "mesh", null), s => Condition(s, "Accepted") is not null, "the GatewayClass's status");
        Assert.Equal(("True", "Accepted"), Of(Condition(gatewayClass, "Accepted")!));
        AtGeneration(gatewayClass, Condition(gatewayClass, "Accepted")!);

        var gateway = await Until(() => Get("gateway", "web", "edge"), s => s["status"]?["listeners"] is JsonArray { Count: 1 }
            && s["status"]!["listeners"]![0]!["attachedRoutes"]?.GetValue<int>() == 2, "the Gateway's status with both routes attached");
        Assert.Equal(("True", "Accepted"), Of(Condition(gateway, "Accepted")!));
        Assert.Equal(("True", "Programmed"), Of(Condition(gateway, "Programmed")!));
        var listener = gateway["status"]!["listeners"]![0]!;
        Assert.Equal("http", listener["name"]!.GetValue<string>());
        Assert.All(listener["conditions"]!.AsArray(), c => AtGeneration(gateway, c!));

        var reviews = await Until(() => Get("httproute", "reviews", "edge"), s => ParentCondition(s, "ResolvedRefs") is not null, "the route's parents");
        var parent = reviews["status"]!["parents"]![0]!;
        Assert.Equal(GatewayApiNames.ControllerName, parent["controllerName"]!.GetValue<string>());
        Assert.Equal("web", parent["parentRef"]!["name"]!.GetValue<string>());
        Assert.Equal(("True", "Accepted"), Of(ParentCondition(reviews, "Accepted")!));
        Assert.Equal(("True", "ResolvedRefs"), Of(ParentCondition(reviews, "ResolvedRefs")!));
        AtGeneration(reviews, ParentCondition(reviews, "Accepted")!);

        // A backend that does not exist: accepted, but its reference does not resolve, and kubectl says why.
        var ratings = await Until(() => Get("httproute", "ratings", "edge"), s => ParentCondition(s, "ResolvedRefs") is not null, "the broken route's parents");
        Assert.Equal(("False", "BackendNotFound"), Of(ParentCondition(ratings, "ResolvedRefs")!));
        Assert.Contains("edge/ratings", ParentCondition(ratings, "ResolvedRefs")!["message"]!.GetValue<string>());
        Assert.Equal(("True", "Accepted"), Of(ParentCondition(ratings, "Accepted")!));

        // The Service appears: the Gateway API grain resolves it and kubectl follows, without a new generation.
        var applied = System.Diagnostics.Stopwatch.StartNew();
        await cluster.Apply(Service("ratings", 2));
        ratings = await Until(() => Get("httproute", "ratings", "edge"), s => ParentCondition(s, "ResolvedRefs") is { } c && Of(c) == ("True", "ResolvedRefs"), "ResolvedRefs once the Service exists");
        output.WriteLine($"Service applied -> ResolvedRefs True on the route: {applied.ElapsedMilliseconds} ms");
        AtGeneration(ratings, ParentCondition(ratings, "ResolvedRefs")!);

        // A new generation: observedGeneration follows it. Then one Mesh's validation refuses: Accepted False with the
        // field path, at that generation.
        await cluster.Apply(Route("reviews", "reviews", "hostnames: [reviews.example.com]"));
        reviews = await Until(() => Get("httproute", "reviews", "edge"),
            s => s["metadata"]!["generation"]!.GetValue<long>() == 2 && ParentCondition(s, "Accepted")?["observedGeneration"]?.GetValue<long>() == 2, "the route's second generation");
        Assert.Equal(("True", "Accepted"), Of(ParentCondition(reviews, "Accepted")!));
        await cluster.Apply(Route("reviews", "reviews", "notAField: true"));
        reviews = await Until(() => Get("httproute", "reviews", "edge"), s => ParentCondition(s, "Accepted") is { } c && Of(c).Status == "False", "the refused generation");
        var refused = ParentCondition(reviews, "Accepted")!;
        Assert.Equal(("False", "UnsupportedValue"), Of(refused));
        Assert.Contains("spec.notAField", refused["message"]!.GetValue<string>());
        AtGeneration(reviews, refused);
    }

    private static string Service(string name, int ip) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: edge}
        spec:
          clusterIP: 10.96.7.{{ip}}
          selector: {app: {{name}}}
          ports: [{name: http, port: 9080, targetPort: 9080}]
        """;

    private static string Route(string name, string backend, string extra = "") => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{name}}, namespace: edge}
        spec:
          parentRefs: [{name: web}]
          rules: [{backendRefs: [{name: {{backend}}, port: 9080}]}]
          {{extra}}
        """;

    private async Task<JsonObject> Get(string kind, string name, string? ns)
    {
        string[] args = ns is null ? ["get", $"{kind}.gateway.networking.k8s.io", name, "-o", "json"] : ["get", $"{kind}.gateway.networking.k8s.io", name, "-n", ns, "-o", "json"];
        return JsonNode.Parse(await cluster.RunKubectl("", args))!.AsObject();
    }

    private static JsonNode? Condition(JsonObject o, string type) =>
        (o["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    private static JsonNode? ParentCondition(JsonObject o, string type) =>
        (o["status"]?["parents"]?[0]?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);

    private static (string Status, string Reason) Of(JsonNode condition) =>
        (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>());

    private static void AtGeneration(JsonObject o, JsonNode condition) =>
        Assert.Equal(o["metadata"]!["generation"]!.GetValue<long>(), condition["observedGeneration"]!.GetValue<long>());

    private static async Task<JsonObject> Until(Func<Task<JsonObject>> read, Func<JsonObject, bool> done, string what)
    {
        JsonObject? last = null;
        try
        {
            await Timeouts.Until(async () => done(last = await read()), Settle, what);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}; last read: {last?["status"]?.ToJsonString() ?? "no status"}", timeout);
        }
        return last!;
    }
}
