using System.Text.Json.Nodes;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>CorsPolicy</c>. <see cref="AllowOrigin"/> is Istio's deprecated list of exact origins.</summary>
public sealed record CorsPolicy
{
    public IReadOnlyList<StringMatch> AllowOrigins { get; init; } = [];
    public IReadOnlyList<string> AllowOrigin { get; init; } = [];
    public IReadOnlyList<string> AllowMethods { get; init; } = [];
    public IReadOnlyList<string> AllowHeaders { get; init; } = [];
    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];
    public long? MaxAgeNanos { get; init; }
    public bool? AllowCredentials { get; init; }
    /// <summary>Null when not set, which Istio reads as <c>UNSPECIFIED</c>.</summary>
    public string? UnmatchedPreflights { get; init; }

    internal static CorsPolicy From(JsonObject cors) => new()
    {
        AllowOrigins = [.. cors.Objects("allowOrigins").Select(StringMatch.From)],
        AllowOrigin = cors.Strings("allowOrigin"),
        AllowMethods = cors.Strings("allowMethods"),
        AllowHeaders = cors.Strings("allowHeaders"),
        ExposeHeaders = cors.Strings("exposeHeaders"),
        MaxAgeNanos = cors.Nanos("maxAge"),
        AllowCredentials = cors.Bool("allowCredentials"),
        UnmatchedPreflights = cors.Str("unmatchedPreflights"),
    };
}
