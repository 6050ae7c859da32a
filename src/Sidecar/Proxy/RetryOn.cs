using Mesh.Sidecar.Config;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>Envoy's <c>retry_on</c> conditions (x-envoy-retry-on and x-envoy-retry-grpc-on): whether an outcome is
/// of a kind the route retries. Whether a retry may still happen (attempts left, the cluster's max_retries) is
/// <see cref="ForwardState"/>'s to say.</summary>
public static class RetryOn
{
    /// <summary>A response with <paramref name="status"/>, and the gRPC status its headers carry, if any.</summary>
    public static bool Response(RetryPolicy retry, int status, int? grpcStatus)
    {
        var on = retry.RetryOn;
        return (on.Contains("5xx") && status >= 500)
            || (on.Contains("gateway-error") && status is 502 or 503 or 504)
            || (on.Contains("retriable-4xx") && status == 409)
            || (on.Contains("retriable-status-codes") && retry.RetriableStatusCodes.Contains(status))
            || (grpcStatus is { } code && Grpc(on, code));
    }

    /// <summary>A connection failure or reset before any response.</summary>
    public static bool Failure(RetryPolicy retry, ForwarderError error)
    {
        var on = retry.RetryOn;
        var connect = error is ForwarderError.Request or ForwarderError.RequestTimedOut;
        return on.Contains("5xx") || on.Contains("reset") || on.Contains("gateway-error")
            || (connect && on.Contains("connect-failure")) || on.Contains("refused-stream");
    }

    private static bool Grpc(IReadOnlySet<string> on, int code) => code switch
    {
        1 => on.Contains("cancelled"),
        4 => on.Contains("deadline-exceeded"),
        8 => on.Contains("resource-exhausted"),
        13 => on.Contains("internal"),
        14 => on.Contains("unavailable"),
        _ => false,
    };
}
