namespace Mesh.Config.Traffic;

/// <summary>Envoy's <c>retry_on</c> conditions, and the retry policy Istio gives a route whose VirtualService sets
/// no <c>retries</c>: known to the validator, the translator and the sidecar alike.</summary>
public static class RetryConditions
{
    /// <summary>Every condition Envoy's router understands (x-envoy-retry-on and x-envoy-retry-grpc-on).</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(
    [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited", "retriable-4xx",
        "refused-stream", "retriable-status-codes", "retriable-headers", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ], StringComparer.Ordinal);

    /// <summary>Istio's default <c>retry_on</c>.</summary>
    public const string IstioDefaultOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    /// <summary>Istio's default number of retries.</summary>
    public const int IstioDefaultAttempts = 2;

    /// <summary>The status codes Istio's default retries (<c>retriable-status-codes</c>).</summary>
    public static readonly IReadOnlySet<int> IstioDefaultStatusCodes = new HashSet<int> { 503 };

    /// <summary>Envoy's default retry back-off base interval (and Istio's).</summary>
    public static readonly TimeSpan DefaultBaseInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Envoy's default maximum back-off: ten times the base.</summary>
    public const int DefaultMaxIntervalFactor = 10;

    /// <summary>Splits a <c>retry_on</c> list the way Envoy does (comma separated, blanks ignored).</summary>
    public static HashSet<string> Split(string retryOn) =>
        retryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
