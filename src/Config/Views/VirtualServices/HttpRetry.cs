using System.Text.Json.Nodes;
using Mesh.Config.Traffic;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>HTTPRetry</c>. Attempts left out is 0 (retries off); retryOn left out is Istio's default
/// conditions.</summary>
public sealed record HttpRetry(long Attempts, string RetryOn, long? PerTryTimeoutNanos, long? BackoffNanos)
{
    internal static HttpRetry From(JsonObject retries) => new(
        retries.Long("attempts") ?? 0,
        retries.Str("retryOn") ?? RetryConditions.IstioDefaultOn,
        retries.Nanos("perTryTimeout"),
        retries.Nanos("backoff"));
}
