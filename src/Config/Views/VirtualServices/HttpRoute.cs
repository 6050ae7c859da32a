using System.Text.Json.Nodes;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>HTTPRoute</c>: which requests (<see cref="Match"/>; none listed means all) and one action:
/// forward (<see cref="Route"/>), <see cref="Redirect"/>, <see cref="DirectResponse"/> or <see cref="Delegate"/>;
/// then the policies of the forwarded request.</summary>
public sealed record HttpRoute
{
    public string Name { get; init; } = "";
    public IReadOnlyList<HttpMatchRequest> Match { get; init; } = [];
    /// <summary>Null when the route does not forward.</summary>
    public IReadOnlyList<HttpRouteDestination>? Route { get; init; }
    public HttpRedirect? Redirect { get; init; }
    public HttpDirectResponse? DirectResponse { get; init; }
    public Delegate? Delegate { get; init; }
    public HttpRewrite? Rewrite { get; init; }
    public long? TimeoutNanos { get; init; }
    public HttpRetry? Retries { get; init; }
    public HttpFaultInjection? Fault { get; init; }
    public Destination? Mirror { get; init; }
    /// <summary><c>mirrorPercentage</c>, or the deprecated whole-number <c>mirrorPercent</c>; null: all requests.</summary>
    public double? MirrorPercent { get; init; }
    public IReadOnlyList<HttpMirrorPolicy> Mirrors { get; init; } = [];
    public CorsPolicy? CorsPolicy { get; init; }
    public RouteHeaders Headers { get; init; } = RouteHeaders.None;

    internal static HttpRoute From(JsonObject http) => new()
    {
        Name = http.Str("name") ?? "",
        Match = [.. http.Objects("match").Select(HttpMatchRequest.From)],
        Route = http.Has("route") ? [.. http.Objects("route").Select(HttpRouteDestination.From)] : null,
        Redirect = http.Obj("redirect") is { } redirect ? HttpRedirect.From(redirect) : null,
        DirectResponse = http.Obj("directResponse") is { } response ? HttpDirectResponse.From(response) : null,
        Delegate = http.Has("delegate") ? new Delegate(http.Obj("delegate").Str("name") ?? "", http.Obj("delegate").Str("namespace")) : null,
        Rewrite = http.Obj("rewrite") is { } rewrite ? HttpRewrite.From(rewrite) : null,
        TimeoutNanos = http.Nanos("timeout"),
        Retries = http.Obj("retries") is { } retries ? HttpRetry.From(retries) : null,
        Fault = http.Obj("fault") is { } fault ? HttpFaultInjection.From(fault) : null,
        Mirror = http.Obj("mirror") is { } mirror ? Destination.From(mirror) : null,
        MirrorPercent = http.Percent("mirrorPercentage") ?? http.Double("mirrorPercent"),
        Mirrors = [.. http.Objects("mirrors").Select(HttpMirrorPolicy.From)],
        CorsPolicy = http.Obj("corsPolicy") is { } cors ? CorsPolicy.From(cors) : null,
        Headers = RouteHeaders.From(http.Obj("headers")),
    };
}

/// <summary>Istio's <c>Delegate</c>: the VirtualService (namespace defaults to the delegating one's) whose routes stand here.</summary>
public sealed record Delegate(string Name, string? Namespace);
