using Mesh.Config.Kinds;
using Mesh.Config.Validation;
using Mesh.Kubernetes.Status;
using static Mesh.Kubernetes.Tests.Status.StatusFixtures;

namespace Mesh.Kubernetes.Tests.Status;

public class ObjectStatusTests
{
    private static readonly SourcedObject Accepted = new(ResourceKinds.VirtualService, "bookinfo", "reviews", 3, []);
    private static readonly SourcedObject Refused = new(ResourceKinds.VirtualService, "bookinfo", "reviews", 4,
        [new FieldError("spec.http[0].route[0].weight", "must be between 0 and 100"), new FieldError("spec.hosts", "is required")]);

    [Fact]
    public void An_accepted_object_is_Reconciled_at_its_generation()
    {
        var status = ObjectStatus.Build(Accepted, new FleetStatus(2, 2, []), null, Changed);
        Assert.Equal(3, status["observedGeneration"]!.GetValue<long>());
        var condition = status["conditions"]![0]!;
        Assert.Equal(("Reconciled", "True", "Accepted", 3L),
            (condition["type"]!.GetValue<string>(), condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>(), condition["observedGeneration"]!.GetValue<long>()));
        Assert.Equal("2026-12-06T10:00:00Z", condition["lastTransitionTime"]!.GetValue<string>());
        Assert.Null(status["validationMessages"]);
        Assert.Equal(2, status["fleet"]!["running"]!.GetValue<int>());
    }

    [Fact]
    public void A_refused_object_carries_Istios_schema_messages_with_field_paths_and_no_fleet()
    {
        var status = ObjectStatus.Build(Refused, null, null, Changed);
        var condition = status["conditions"]![0]!;
        Assert.Equal(("False", "Invalid"), (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>()));
        var messages = status["validationMessages"]!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal("IST0106", messages[0]!["type"]!["code"]!.GetValue<string>());
        Assert.Equal("SchemaValidationError", messages[0]!["type"]!["name"]!.GetValue<string>());
        Assert.Equal("ERROR", messages[0]!["level"]!.GetValue<string>());
        Assert.Equal("spec.http[0].route[0].weight: must be between 0 and 100", messages[0]!["description"]!.GetValue<string>());
        Assert.Null(status["fleet"]);
    }

    [Fact]
    public void A_NACK_makes_Reconciled_False_Rejected()
    {
        var fleet = new FleetStatus(3, 2, [new ProxyNack("sidecar~10.0.0.1", "bad", Changed)]);
        var condition = ObjectStatus.Build(Accepted, fleet, null, Changed)["conditions"]![0]!;
        Assert.Equal(("False", "Rejected"), (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>()));
        Assert.Contains("1 of 3 proxies", condition["message"]!.GetValue<string>());
    }

    [Fact]
    public void The_transition_time_moves_only_when_the_condition_changes()
    {
        var first = ObjectStatus.Build(Accepted, new FleetStatus(1, 0, []), null, Changed);
        var later = Changed.AddMinutes(5);
        var same = ObjectStatus.Build(Accepted with { Generation = 4 }, new FleetStatus(1, 1, []), first, later);
        Assert.Equal("2026-12-06T10:00:00Z", same["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal(4, same["conditions"]![0]!["observedGeneration"]!.GetValue<long>());
        var flipped = ObjectStatus.Build(Refused, null, same, later);
        Assert.Equal("2026-12-06T10:05:00Z", flipped["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>());
    }

    [Fact]
    public void Describes_Istios_kinds_but_not_the_Gateway_APIs_which_have_their_own_status()
    {
        Assert.True(ObjectStatus.Describes(ResourceKinds.VirtualService));
        Assert.True(ObjectStatus.Describes(ResourceKinds.AuthorizationPolicy));
        Assert.False(ObjectStatus.Describes(ResourceKinds.HttpRoute));
        Assert.False(ObjectStatus.Describes(ResourceKinds.GatewayApiGateway));
    }

    [Fact]
    public void The_same_inputs_give_the_same_document_so_an_unchanged_status_is_not_written_again()
    {
        var fleet = new FleetStatus(2, 1, []);
        var first = ObjectStatus.Build(Accepted, fleet, null, Changed);
        var again = ObjectStatus.Build(Accepted, fleet, first, Changed.AddMinutes(1));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(first, again));
    }
}
