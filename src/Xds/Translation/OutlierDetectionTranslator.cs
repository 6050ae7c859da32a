using Envoy.Config.Cluster.V3;
using Envoy.Type.V3;
using IstioOutlierDetection = Mesh.Config.Views.DestinationRules.OutlierDetection;

namespace Mesh.Xds.Translation;

/// <summary>A DestinationRule's <c>outlierDetection</c> → Envoy outlier detection, with Istio's enforcing settings:
/// a consecutive-error detector enforces 100% when its threshold is above 0, success-rate ejection is off, and
/// minHealthPercent becomes the panic threshold.</summary>
internal static class OutlierDetectionTranslator
{
    public static void Apply(Cluster cluster, IstioOutlierDetection? outlier)
    {
        if (outlier is null) return;
        var result = new OutlierDetection { EnforcingSuccessRate = 0 };
        if (outlier.Consecutive5xxErrors is { } fiveXx)
        {
            result.Consecutive5Xx = (uint)fiveXx;
            result.EnforcingConsecutive5Xx = fiveXx > 0 ? 100u : 0u;
        }
        if (outlier.ConsecutiveGatewayErrors is { } gateway)
        {
            result.ConsecutiveGatewayFailure = (uint)gateway;
            result.EnforcingConsecutiveGatewayFailure = gateway > 0 ? 100u : 0u;
        }
        if (outlier.SplitExternalLocalOriginErrors is { } split) result.SplitExternalLocalOriginErrors = split;
        if (outlier.ConsecutiveLocalOriginFailures is { } local)
        {
            result.ConsecutiveLocalOriginFailure = (uint)local;
            result.EnforcingConsecutiveLocalOriginFailure = local > 0 ? 100u : 0u;
        }
        if (ProtoValues.Duration(outlier.IntervalNanos) is { } interval) result.Interval = interval;
        if (ProtoValues.Duration(outlier.BaseEjectionTimeNanos) is { } ejection) result.BaseEjectionTime = ejection;
        if (outlier.MaxEjectionPercent is { } maxEjection) result.MaxEjectionPercent = (uint)maxEjection;
        cluster.OutlierDetection = result;
        if (outlier.MinHealthPercent is { } minHealth)
        {
            cluster.CommonLbConfig = new Cluster.Types.CommonLbConfig { HealthyPanicThreshold = new Percent { Value = minHealth } };
        }
    }
}
