using Envoy.Config.Core.V3;
using Envoy.Type.V3;
using Duration = Google.Protobuf.WellKnownTypes.Duration;

namespace Mesh.Xds.Translation;

/// <summary>Istio scalar values → protobuf well-known and Envoy types.</summary>
internal static class ProtoValues
{
    /// <summary>A duration a view read (in nanoseconds), as a protobuf Duration.</summary>
    public static Duration? Duration(long? nanos) => nanos is { } value ? FromNanos(value) : null;

    public static Duration FromNanos(long nanos) => new() { Seconds = nanos / 1_000_000_000, Nanos = (int)(nanos % 1_000_000_000) };

    public static Duration FromMillis(long millis) => FromNanos(millis * 1_000_000);

    /// <summary>Where a resource another one names comes from: the same ADS stream.</summary>
    public static ConfigSource Ads() => new() { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 };

    /// <summary>A percentage as parts per million, so that Istio's decimals (<c>0.1</c>) survive.</summary>
    public static FractionalPercent Fraction(double percent) => new()
    {
        Numerator = (uint)Math.Round(Math.Clamp(percent, 0, 100) * 10_000),
        Denominator = FractionalPercent.Types.DenominatorType.Million,
    };
}
