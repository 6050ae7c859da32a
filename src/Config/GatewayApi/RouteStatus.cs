using System.Text.Json.Nodes;

namespace Mesh.Config.GatewayApi;

/// <summary>A route's status as the API defines it: one entry per Gateway parent, with Mesh's controllerName, and
/// <c>Accepted</c> and <c>ResolvedRefs</c> conditions.</summary>
public static class RouteStatus
{
    public static JsonObject Of(GatewayApiObject route, IReadOnlyList<RouteAttachment> parents, Condition resolvedRefs, GatewayApiInput input)
    {
        var previous = input.PreviousStatus.GetValueOrDefault(route.Key)?["parents"] as JsonArray;
        return new JsonObject
        {
            ["parents"] = new JsonArray([.. parents.Select(p => (JsonNode)new JsonObject
            {
                ["parentRef"] = p.ParentRef.DeepClone(),
                ["controllerName"] = GatewayApiNames.ControllerName,
                ["conditions"] = Condition.ToJson([p.Accepted, resolvedRefs], route.Generation, input.Now,
                    previous?.OfType<JsonObject>().FirstOrDefault(x => JsonNode.DeepEquals(x["parentRef"], p.ParentRef))?["conditions"] as JsonArray),
            })]),
        };
    }
}
