using System.Text.Json.Nodes;
using Envoy.Config.Cluster.V3;
using Envoy.Type.V3;

namespace Mesh.Xds.Translation;

/// <summary>A DestinationRule's <c>outlierDetection</c> → Envoy outlier detection, with Istio's enforcing settings:
/// a consecutive-error detector enforces 100% when its threshold is above 0, success-rate ejection is off, and
/// minHealthPercent becomes the panic threshold.</summary>
internal static class OutlierDetectionTranslator
{
    public static void Apply(Cluster cluster, JsonObject? outlier)
    {
        if (outlier is null) return;
        var result = new OutlierDetection { EnforcingSuccessRate = 0 };
        // consecutiveErrors is Istio's deprecated name for consecutive5xxErrors.
        if ((outlier.Long("consecutive5xxErrors") ?? outlier.Long("consecutiveErrors")) is { } fiveXx)
        {
            result.Consecutive5Xx = (uint)fiveXx;
            result.EnforcingConsecutive5Xx = fiveXx > 0 ? 100u : 0u;
        }
        if (outlier.Long("consecutiveGatewayErrors") is { } gateway)
        {
            result.ConsecutiveGatewayFailure = (uint)gateway;
            result.EnforcingConsecutiveGatewayFailure = gateway > 0 ? 100u : 0u;
        }
        if (outlier.Bool("splitExternalLocalOriginErrors") is { } split) result.SplitExternalLocalOriginErrors = split;
        if (outlier.Long("consecutiveLocalOriginFailures") is { } local)
        {
            result.ConsecutiveLocalOriginFailure = (uint)local;
            result.EnforcingConsecutiveLocalOriginFailure = local > 0 ? 100u : 0u;
        }
        if (ProtoValues.Duration(outlier.Str("interval")) is { } interval) result.Interval = interval;
        if (ProtoValues.Duration(outlier.Str("baseEjectionTime")) is { } ejection) result.BaseEjectionTime = ejection;
        if (outlier.Long("maxEjectionPercent") is { } maxEjection) result.MaxEjectionPercent = (uint)maxEjection;
        cluster.OutlierDetection = result;
        if (outlier.Long("minHealthPercent") is { } minHealth)
        {
            cluster.CommonLbConfig = new Cluster.Types.CommonLbConfig { HealthyPanicThreshold = new Percent { Value = minHealth } };
        }
    }
}
