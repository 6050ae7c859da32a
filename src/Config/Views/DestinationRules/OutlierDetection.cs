using System.Text.Json.Nodes;

namespace Mesh.Config.Views.DestinationRules;

/// <summary>Istio's <c>OutlierDetection</c>; a field left out is null (Envoy's default).
/// <see cref="Consecutive5xxErrors"/> also reads the deprecated <c>consecutiveErrors</c>.</summary>
public sealed record OutlierDetection
{
    public long? Consecutive5xxErrors { get; init; }
    public long? ConsecutiveGatewayErrors { get; init; }
    public bool? SplitExternalLocalOriginErrors { get; init; }
    public long? ConsecutiveLocalOriginFailures { get; init; }
    public long? IntervalNanos { get; init; }
    public long? BaseEjectionTimeNanos { get; init; }
    public long? MaxEjectionPercent { get; init; }
    public long? MinHealthPercent { get; init; }

    internal static OutlierDetection? From(JsonObject? outlier) => outlier is null ? null : new()
    {
        Consecutive5xxErrors = outlier.Long("consecutive5xxErrors") ?? outlier.Long("consecutiveErrors"),
        ConsecutiveGatewayErrors = outlier.Long("consecutiveGatewayErrors"),
        SplitExternalLocalOriginErrors = outlier.Bool("splitExternalLocalOriginErrors"),
        ConsecutiveLocalOriginFailures = outlier.Long("consecutiveLocalOriginFailures"),
        IntervalNanos = outlier.Nanos("interval"),
        BaseEjectionTimeNanos = outlier.Nanos("baseEjectionTime"),
        MaxEjectionPercent = outlier.Long("maxEjectionPercent"),
        MinHealthPercent = outlier.Long("minHealthPercent"),
    };
}
