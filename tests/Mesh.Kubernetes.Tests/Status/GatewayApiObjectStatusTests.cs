using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Config.Kinds;
using Mesh.Config.Validation;
using Mesh.Kubernetes.Status;
using static Mesh.Kubernetes.Tests.Status.StatusFixtures;

namespace Mesh.Kubernetes.Tests.Status;

public class GatewayApiObjectStatusTests
{
    private static readonly SourcedObject Route = new(ResourceKinds.HttpRoute, "bookinfo", "reviews", 7, []);

    /// <summary>The Gateway API grain's status of a route at the config grain's generation 2.</summary>
    private static JsonObject GrainRouteStatus(long generation = 2) => JsonNode.Parse($$"""
        {"parents": [{"parentRef": {"name": "edge"}, "controllerName": "{{GatewayApiNames.ControllerName}}", "conditions": [
          {"type": "Accepted", "status": "True", "reason": "Accepted", "message": "", "observedGeneration": {{generation}}, "lastTransitionTime": "2026-12-06T09:00:00Z"},
          {"type": "ResolvedRefs", "status": "False", "reason": "BackendNotFound", "message": "Service bookinfo/ratings does not exist", "observedGeneration": {{generation}}, "lastTransitionTime": "2026-12-06T09:00:00Z"}]}]}
        """)!.AsObject();

    private static JsonObject Object(string spec = """{"parentRefs": [{"name": "edge"}]}""", string? status = null) =>
        JsonNode.Parse($$"""{"metadata": {"name": "reviews"}, "spec": {{spec}}{{(status is null ? "" : $", \"status\": {status}")}}}""")!.AsObject();

    [Fact]
    public void Only_the_Gateway_API_kinds_with_a_status_are_described()
    {
        Assert.True(GatewayApiObjectStatus.Describes(ResourceKinds.HttpRoute));
        Assert.True(GatewayApiObjectStatus.Describes(ResourceKinds.GrpcRoute));
        Assert.True(GatewayApiObjectStatus.Describes(ResourceKinds.GatewayApiGateway));
        Assert.True(GatewayApiObjectStatus.Describes(ResourceKinds.GatewayClass));
        Assert.False(GatewayApiObjectStatus.Describes(ResourceKinds.ReferenceGrant));
        Assert.False(GatewayApiObjectStatus.Describes(ResourceKinds.VirtualService));
        Assert.False(ObjectStatus.Describes(ResourceKinds.HttpRoute));
    }

    [Fact]
    public void The_grains_route_status_is_copied_at_the_Kubernetes_generation()
    {
        var status = GatewayApiObjectStatus.Build(Route, new GatewayApiStored(2, GrainRouteStatus()), Object(), Changed)!;
        var parent = status["parents"]![0]!;
        Assert.Equal(GatewayApiNames.ControllerName, parent["controllerName"]!.GetValue<string>());
        Assert.Equal("edge", parent["parentRef"]!["name"]!.GetValue<string>());
        var conditions = parent["conditions"]!.AsArray();
        Assert.All(conditions, c => Assert.Equal(7, c!["observedGeneration"]!.GetValue<long>()));
        Assert.Equal(("ResolvedRefs", "False", "BackendNotFound"),
            (conditions[1]!["type"]!.GetValue<string>(), conditions[1]!["status"]!.GetValue<string>(), conditions[1]!["reason"]!.GetValue<string>()));
        Assert.Equal("2026-12-06T09:00:00Z", conditions[0]!["lastTransitionTime"]!.GetValue<string>());
    }

    [Fact]
    public void A_gateways_conditions_and_listeners_are_copied_at_the_Kubernetes_generation()
    {
        var grain = JsonNode.Parse("""
            {"conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted", "observedGeneration": 1},
                            {"type": "Programmed", "status": "True", "reason": "Programmed", "observedGeneration": 1}],
             "listeners": [{"name": "http", "attachedRoutes": 1, "conditions": [{"type": "Programmed", "status": "True", "reason": "Programmed", "observedGeneration": 1}]}]}
            """)!.AsObject();
        var gateway = new SourcedObject(ResourceKinds.GatewayApiGateway, "bookinfo", "edge", 4, []);
        var status = GatewayApiObjectStatus.Build(gateway, new GatewayApiStored(1, grain), Object("{}"), Changed)!;
        Assert.Equal(4, status["conditions"]![1]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal(4, status["listeners"]![0]!["conditions"]![0]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal(1, status["listeners"]![0]!["attachedRoutes"]!.GetValue<int>());
        Assert.Null(status["parents"]);
    }

    [Fact]
    public void Nothing_is_written_for_an_object_Mesh_does_not_answer_for_or_before_the_grain_caught_up()
    {
        Assert.Null(GatewayApiObjectStatus.Build(Route, null, Object(), Changed));
        Assert.Null(GatewayApiObjectStatus.Build(Route, new GatewayApiStored(2, null), Object(), Changed));
        // The grain's status is still of generation 2 while generation 3 is stored: the new one is not computed yet.
        Assert.Null(GatewayApiObjectStatus.Build(Route, new GatewayApiStored(3, GrainRouteStatus(2)), Object(), Changed));
    }

    [Fact]
    public void Another_implementations_parents_of_the_same_route_are_kept_and_Meshs_old_entry_replaced()
    {
        var previous = $$"""
            {"parents": [{"parentRef": {"name": "other"}, "controllerName": "example.net/gateway", "conditions": []},
                         {"parentRef": {"name": "gone"}, "controllerName": "{{GatewayApiNames.ControllerName}}", "conditions": []}]}
            """;
        var status = GatewayApiObjectStatus.Build(Route, new GatewayApiStored(2, GrainRouteStatus()), Object(status: previous), Changed)!;
        var parents = status["parents"]!.AsArray().Select(p => (p!["parentRef"]!["name"]!.GetValue<string>(), p["controllerName"]!.GetValue<string>())).ToList();
        Assert.Equal([("edge", GatewayApiNames.ControllerName), ("other", "example.net/gateway")], parents);
    }

    [Fact]
    public void A_route_that_left_Meshs_Gateways_loses_Meshs_entries_and_keeps_the_others()
    {
        var previous = $$"""
            {"parents": [{"parentRef": {"name": "other"}, "controllerName": "example.net/gateway", "conditions": []},
                         {"parentRef": {"name": "edge"}, "controllerName": "{{GatewayApiNames.ControllerName}}", "conditions": []}]}
            """;
        var none = new GatewayApiStored(2, JsonNode.Parse("""{"parents": []}""")!.AsObject());

        var status = GatewayApiObjectStatus.Build(Route, none, Object("""{"parentRefs": [{"name": "other"}]}""", previous), Changed)!;
        Assert.Equal(["other"], status["parents"]!.AsArray().Select(p => p!["parentRef"]!["name"]!.GetValue<string>()));
        // Never Mesh's: nothing to write at all.
        Assert.Null(GatewayApiObjectStatus.Build(Route, none, Object("""{"parentRefs": [{"name": "other"}]}"""), Changed));
    }

    private static readonly HashSet<(ResourceKind, string, string)> Edge = [(ResourceKinds.GatewayApiGateway, "bookinfo", "edge")];

    [Fact]
    public void A_refused_route_Mesh_served_before_is_not_Accepted_on_each_parent_with_the_field_paths()
    {
        var refused = Route with { Generation = 8, Problems = [new FieldError("spec.rules[0].backendRefs[0].port", "must be between 1 and 65535")] };
        var spec = """{"parentRefs": [{"name": "edge"}, {"name": "edge", "sectionName": "https"}]}""";
        var status = GatewayApiObjectStatus.Build(refused, new GatewayApiStored(2, GrainRouteStatus()), Object(spec), Changed, Edge)!;
        var parents = status["parents"]!.AsArray();
        Assert.Equal(2, parents.Count);
        Assert.Equal("https", parents[1]!["parentRef"]!["sectionName"]!.GetValue<string>());
        var accepted = parents[0]!["conditions"]![0]!;
        Assert.Equal(("Accepted", "False", GatewayApiObjectStatus.RouteInvalid, 8L),
            (accepted["type"]!.GetValue<string>(), accepted["status"]!.GetValue<string>(), accepted["reason"]!.GetValue<string>(), accepted["observedGeneration"]!.GetValue<long>()));
        Assert.Contains("spec.rules[0].backendRefs[0].port: must be between 1 and 65535", accepted["message"]!.GetValue<string>());
    }

    [Fact]
    public void A_refused_GatewayClass_is_answered_only_when_it_names_Meshs_controller()
    {
        var refused = new SourcedObject(ResourceKinds.GatewayClass, "", "mesh", 2, [new FieldError("spec.parametersRef.kind", "is required")]);
        var mine = GatewayApiObjectStatus.Build(refused, null, Object($$"""{"controllerName": "{{GatewayApiNames.ControllerName}}"}"""), Changed)!;
        var accepted = mine["conditions"]![0]!;
        Assert.Equal(("Accepted", "False", GatewayApiObjectStatus.Invalid), (accepted["type"]!.GetValue<string>(), accepted["status"]!.GetValue<string>(), accepted["reason"]!.GetValue<string>()));
        Assert.Contains("spec.parametersRef.kind: is required", accepted["message"]!.GetValue<string>());
        Assert.Null(GatewayApiObjectStatus.Build(refused, null, Object("""{"controllerName": "example.net/gateway"}"""), Changed));
    }

    [Fact]
    public void A_refused_Gateway_is_neither_Accepted_nor_Programmed()
    {
        var refused = new SourcedObject(ResourceKinds.GatewayApiGateway, "bookinfo", "edge", 5, [new FieldError("spec.listeners[0].port", "is required")]);
        var grain = JsonNode.Parse("""{"conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted", "observedGeneration": 1}]}""")!.AsObject();
        var status = GatewayApiObjectStatus.Build(refused, new GatewayApiStored(1, grain), Object("{}"), Changed)!;
        Assert.Equal(["Accepted:False", "Programmed:False"],
            status["conditions"]!.AsArray().Select(c => $"{c!["type"]}:{c["status"]}"));
        Assert.All(status["conditions"]!.AsArray(), c => Assert.Equal(5, c!["observedGeneration"]!.GetValue<long>()));
    }

    [Fact]
    public void A_route_refused_from_its_first_generation_is_answered_when_a_parent_Gateway_is_Meshs()
    {
        var refused = new SourcedObject(ResourceKinds.HttpRoute, "bookinfo", "reviews", 1, [new FieldError("spec.rules[0].matches[0].path.value", "must start with /")]);

        Assert.Null(GatewayApiObjectStatus.Build(refused, null, Object(), Changed));
        var status = GatewayApiObjectStatus.Build(refused, null, Object("""{"parentRefs": [{"name": "edge"}, {"name": "someone-elses"}]}"""), Changed,
            claimed: Edge)!;
        Assert.Equal(["edge"], status["parents"]!.AsArray().Select(p => p!["parentRef"]!["name"]!.GetValue<string>()));
        var accepted = status["parents"]![0]!["conditions"]![0]!;
        Assert.Equal(("Accepted", "False", GatewayApiObjectStatus.RouteInvalid, 1L),
            (accepted["type"]!.GetValue<string>(), accepted["status"]!.GetValue<string>(), accepted["reason"]!.GetValue<string>(), accepted["observedGeneration"]!.GetValue<long>()));
        Assert.Contains("spec.rules[0].matches[0].path.value: must start with /", accepted["message"]!.GetValue<string>());
    }

    [Fact]
    public void The_claimants_are_a_Gateways_class_and_a_routes_parent_Gateways_only()
    {
        var gateway = GatewayApiObjectStatus.Claimants(ResourceKinds.GatewayApiGateway, "bookinfo", JsonNode.Parse("""{"gatewayClassName": "mesh"}"""));
        Assert.Equal([(ResourceKinds.GatewayClass, ResourceKinds.ClusterNamespace, "mesh")], gateway);

        var route = GatewayApiObjectStatus.Claimants(ResourceKinds.GrpcRoute, "bookinfo", JsonNode.Parse("""
            {"parentRefs": [
              {"name": "edge"},
              {"name": "shared", "namespace": "infra", "group": "gateway.networking.k8s.io", "kind": "Gateway"},
              {"name": "reviews", "group": "", "kind": "Service"},
              {"name": "other", "group": "example.net", "kind": "Gateway"}]}
            """));
        Assert.Equal([(ResourceKinds.GatewayApiGateway, "bookinfo", "edge"), (ResourceKinds.GatewayApiGateway, "infra", "shared")], route);

        Assert.Empty(GatewayApiObjectStatus.Claimants(ResourceKinds.GatewayClass, ResourceKinds.ClusterNamespace, JsonNode.Parse("{}")));
        Assert.Empty(GatewayApiObjectStatus.Claimants(ResourceKinds.GatewayApiGateway, "bookinfo", JsonNode.Parse("{}")));
    }
}
