using Mesh.Sidecar.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class RetryOnTests
{
    [Theory]
    [InlineData("5xx", 500, null, true)]
    [InlineData("5xx", 503, null, true)]
    [InlineData("5xx", 499, null, false)]
    [InlineData("gateway-error", 502, null, true)]
    [InlineData("gateway-error", 503, null, true)]
    [InlineData("gateway-error", 504, null, true)]
    [InlineData("gateway-error", 500, null, false)]
    [InlineData("retriable-4xx", 409, null, true)]
    [InlineData("retriable-4xx", 429, null, false)]
    [InlineData("retriable-status-codes", 418, null, true)]
    [InlineData("retriable-status-codes", 503, null, false)]
    [InlineData("connect-failure,refused-stream", 503, null, false)]
    [InlineData("unavailable", 200, 14, true)]
    [InlineData("cancelled", 200, 1, true)]
    [InlineData("deadline-exceeded", 200, 4, true)]
    [InlineData("resource-exhausted", 200, 8, true)]
    [InlineData("internal", 200, 13, true)]
    [InlineData("unavailable", 200, 13, false)]
    [InlineData("unavailable", 200, null, false)]
    [InlineData("5xx", 200, 14, false)]
    public void A_response_is_retried_when_a_condition_covers_it(string on, int status, int? grpcStatus, bool retried)
        => Assert.Equal(retried, RetryOn.Response(Forwarding.Retry(on, statusCodes: 418), status, grpcStatus));

    [Theory]
    [InlineData("connect-failure", ForwarderError.Request, true)]
    [InlineData("connect-failure", ForwarderError.RequestTimedOut, true)]
    [InlineData("connect-failure", ForwarderError.ResponseHeaders, false)]
    [InlineData("reset", ForwarderError.ResponseHeaders, true)]
    [InlineData("refused-stream", ForwarderError.ResponseHeaders, true)]
    [InlineData("5xx", ForwarderError.Request, true)]
    [InlineData("gateway-error", ForwarderError.Request, true)]
    [InlineData("retriable-4xx,retriable-status-codes", ForwarderError.Request, false)]
    [InlineData("unavailable", ForwarderError.Request, false)]
    public void A_connection_failure_or_reset_is_retried_when_a_condition_covers_it(string on, ForwarderError error, bool retried)
        => Assert.Equal(retried, RetryOn.Failure(Forwarding.Retry(on), error));
}
