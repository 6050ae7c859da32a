using System.Text.Json.Nodes;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>Destination</c>: a host (as written), and optionally a subset and a port.</summary>
public sealed record Destination(string Host, string? Subset, int? Port)
{
    internal static Destination From(JsonNode? destination)
        => new(destination.Str("host") ?? "", destination.Str("subset"), (int?)destination.Obj("port").Long("number"));
}

/// <summary>A weighted destination. A lone destination may leave its weight out; among several every weight is set.</summary>
public record RouteDestination(Destination Destination, int? Weight)
{
    internal static RouteDestination From(JsonObject route)
        => new(Destination.From(route.Obj("destination")), (int?)route.Long("weight"));
}

/// <summary>An HTTP route's weighted destination, with the header edits for the requests sent to it.</summary>
public sealed record HttpRouteDestination(Destination Destination, int? Weight, RouteHeaders Headers) : RouteDestination(Destination, Weight)
{
    internal static new HttpRouteDestination From(JsonObject route)
        => new(Destination.From(route.Obj("destination")), (int?)route.Long("weight"), RouteHeaders.From(route.Obj("headers")));
}

/// <summary>An HTTP mirror: a destination and the share of requests copied to it (null: all of them).</summary>
public sealed record HttpMirrorPolicy(Destination Destination, double? Percent)
{
    internal static HttpMirrorPolicy From(JsonObject mirror) => new(Destination.From(mirror.Obj("destination")), mirror.Percent("percentage"));
}
