using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Config.Validation;

namespace Mesh.Config.Tests.GatewayApi;

/// <summary>Builds validated Gateway API objects from relaxed JSON specs, in the shape of the conformance suite's base
/// manifests: GatewayClass "mesh", Gateway "gateway-conformance-infra/same-namespace" with an HTTP listener.</summary>
internal static class GatewayApiFixture
{
    public const string Infra = "gateway-conformance-infra";

    public static GatewayApiObject Object(string kind, string ns, string name, string spec, int ageSeconds = 0, string apiVersion = "gateway.networking.k8s.io/v1")
    {
        var result = ResourceValidator.Validate(new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = JsonNode.Parse(spec),
        });
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        return new GatewayApiObject(result.Resource!, 1, DateTimeOffset.UnixEpoch.AddSeconds(1000 - ageSeconds));
    }

    public static GatewayApiObject Class => Object("GatewayClass", "anything", "mesh", $"{{\"controllerName\":\"{GatewayApiNames.ControllerName}\"}}");

    public static GatewayApiObject Gateway(string listeners = "{\"name\":\"http\",\"port\":80,\"protocol\":\"HTTP\"}", string name = "same-namespace")
        => Object("Gateway", Infra, name, $"{{\"gatewayClassName\":\"mesh\",\"listeners\":[{listeners}]}}");

    public static GatewayApiObject HttpRoute(string name, string spec, string ns = Infra, int ageSeconds = 0) => Object("HTTPRoute", ns, name, spec, ageSeconds);

    public static GatewayApiResult Convert(IReadOnlyList<GatewayApiObject> routes, GatewayApiObject? gateway = null, IReadOnlyList<GatewayApiObject>? grants = null,
        IReadOnlySet<string>? secrets = null) => GatewayApiConversion.Convert(new GatewayApiInput
    {
        GatewayClasses = [Class],
        Gateways = [gateway ?? Gateway()],
        HttpRoutes = [.. routes.Where(r => r.Kind == "HTTPRoute")],
        GrpcRoutes = [.. routes.Where(r => r.Kind == "GRPCRoute")],
        ReferenceGrants = grants ?? [],
        Secrets = secrets ?? new HashSet<string>(),
    });

    /// <summary>The condition of a type in a status's conditions array.</summary>
    public static JsonObject Condition(JsonNode? conditions, string type)
        => ((JsonArray)conditions!).OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);

    public static JsonObject ParentCondition(GatewayApiResult result, GatewayApiObject route, string type)
        => Condition(result.Status[route.Key]["parents"]![0]!["conditions"], type);
}
