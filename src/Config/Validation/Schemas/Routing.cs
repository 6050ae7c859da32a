using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>Pieces of routing that VirtualService and Sidecar share: destinations, weighted route lists, header edits.</summary>
internal static class Routing
{
    public static ObjectSchema Destination { get; } = Obj(
            ("host", Matching(h => Hosts.Wildcard(h, allowStar: false, allowIp: true))),
            ("subset", Common.Label),
            ("port", Common.PortSelector))
        .Require("host");

    /// <summary>Every header value a route writes (Istio's ValidateHTTPHeaderValue).</summary>
    private static StringSchema HeaderValue { get; } = Matching(Http.HeaderValue);

    // Istio's ValidateHTTPHeaderWithAuthorityOperationName for request set/add, ValidateHTTPHeaderOperationName for the rest.
    private static readonly ObjectSchema RequestHeaderOperations = Obj(
        ("set", Map(HeaderValue, Http.WritableHeaderName)),
        ("add", Map(HeaderValue, Http.WritableHeaderName)),
        ("remove", List(Matching(Http.OperationHeaderName))));

    private static readonly ObjectSchema ResponseHeaderOperations = Obj(
        ("set", Map(HeaderValue, Http.OperationHeaderName)),
        ("add", Map(HeaderValue, Http.OperationHeaderName)),
        ("remove", List(Matching(Http.OperationHeaderName))));

    public static ObjectSchema Headers { get; } = Obj(("request", RequestHeaderOperations), ("response", ResponseHeaderOperations));

    /// <summary>A list of weighted destinations: more than one needs every weight, summing to 100.</summary>
    public static ListSchema WeightedRoute(ObjectSchema destination)
        => List(destination).Rule(CheckWeights);

    private static void CheckWeights(JsonArray route, string path, Problems problems)
    {
        if (route.Count < 2) return;
        long sum = 0;
        var missing = false;
        for (var i = 0; i < route.Count; i++)
        {
            if (route[i] is not JsonObject destination) return;
            if (destination["weight"] is JsonValue weight && weight.TryGetValue<long>(out var w)) sum += w;
            else if (destination["weight"] is null)
            {
                missing = true;
                problems.Error(FieldPath.Field(FieldPath.Index(path, i), "weight"), "required when a route has more than one destination");
            }
            else return;
        }
        if (!missing && sum != 100) problems.Error(path, $"weights sum to {sum}, must be 100");
    }
}
