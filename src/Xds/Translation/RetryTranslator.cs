using Envoy.Config.Route.V3;
using Mesh.Config.Traffic;
using Mesh.Config.Views.VirtualServices;
using Duration = Google.Protobuf.WellKnownTypes.Duration;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>HTTPRetry</c> → Envoy <c>RetryPolicy</c>, in the shape gRFC A44 reads: retry_on (gRPC clients
/// keep only cancelled, deadline-exceeded, internal, resource-exhausted and unavailable), num_retries and
/// retry_back_off with its required base_interval.</summary>
internal static class RetryTranslator
{

    /// <summary>Null when attempts is 0 (retries off).</summary>
    public static RetryPolicy? Translate(HttpRetry retries)
    {
        var attempts = retries.Attempts;
        if (attempts <= 0) return null;
        var policy = new RetryPolicy { NumRetries = (uint)attempts };
        var conditions = new List<string>();
        foreach (var part in retries.RetryOn.Split(','))
        {
            var condition = part.Trim();
            // Istio turns status codes into retriable_status_codes; the validator accepted only known conditions.
            if (uint.TryParse(condition, out var status))
            {
                policy.RetriableStatusCodes.Add(status);
                condition = "retriable-status-codes";
            }
            if (condition.Length > 0 && !conditions.Contains(condition)) conditions.Add(condition);
        }
        policy.RetryOn = string.Join(',', conditions);
        if (ProtoValues.Duration(retries.PerTryTimeoutNanos) is { } perTry) policy.PerTryTimeout = perTry;
        policy.RetryBackOff = BackOff(retries.BackoffNanos);
        return policy;
    }

    private static RetryPolicy.Types.RetryBackOff BackOff(long? backoff)
    {
        if (backoff is { } nanos)
        {
            return new RetryPolicy.Types.RetryBackOff
            {
                BaseInterval = ProtoValues.FromNanos(nanos),
                MaxInterval = ProtoValues.FromNanos(nanos * RetryConditions.DefaultMaxIntervalFactor),
            };
        }
        return new RetryPolicy.Types.RetryBackOff
        {
            BaseInterval = Duration.FromTimeSpan(RetryConditions.DefaultBaseInterval),
            MaxInterval = Duration.FromTimeSpan(RetryConditions.DefaultBaseInterval * RetryConditions.DefaultMaxIntervalFactor),
        };
    }
}
