using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class ForwardStateTests
{
    private static readonly UpstreamCluster Cluster = Forwarding.Cluster(Forwarding.Endpoint("10.0.0.1"));

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void A_route_retries_as_many_times_as_it_says(int attempt, bool retried)
    {
        var state = Forwarding.State(Outbound.Request("reviews:9080"), Cluster, Forwarding.Action(Forwarding.Retry("gateway-error", retries: 2)));
        state.Attempt = attempt;

        Assert.Equal(retried, state.ShouldRetry(503, null));
        Assert.Equal(retried, state.ShouldRetryError(ForwarderError.Request));
        Assert.Equal(retried, state.ShouldRetryTimeout());
    }

    [Fact]
    public void A_route_without_a_retry_policy_never_retries()
    {
        var state = Forwarding.State(Outbound.Request("reviews:9080"), Cluster, Forwarding.Action());
        state.Attempt = 1;

        Assert.False(state.ShouldRetry(503, 14));
        Assert.False(state.ShouldRetryError(ForwarderError.Request));
        Assert.False(state.ShouldRetryTimeout());
    }

    [Fact]
    public void A_request_with_a_body_is_sent_once()
    {
        var context = Outbound.Request("reviews:9080", method: "POST");
        context.Request.ContentLength = 3;
        var state = Forwarding.State(context, Cluster, Forwarding.Action(Forwarding.Retry("5xx")));
        state.Attempt = 1;

        Assert.True(state.HasBody);
        Assert.False(state.ShouldRetry(503, null));
    }

    [Fact]
    public void A_cancelled_request_is_not_retried()
    {
        var context = Outbound.Request("reviews:9080");
        using var aborted = new CancellationTokenSource();
        context.RequestAborted = aborted.Token;
        aborted.Cancel();
        var state = Forwarding.State(context, Cluster, Forwarding.Action(Forwarding.Retry("5xx")));
        state.Attempt = 1;

        Assert.False(state.ShouldRetry(503, null));
    }

    [Fact]
    public void The_clusters_max_retries_bounds_the_retries_in_flight_across_requests()
    {
        var cluster = Forwarding.Cluster(new CircuitLimits(null, null, null, MaxRetries: 1), null, LbKind.RoundRobin, Forwarding.Endpoint("10.0.0.1"));
        var runtime = new ClusterRuntime("c");
        var action = Forwarding.Action(Forwarding.Retry("5xx", retries: 3));
        var first = Forwarding.State(Outbound.Request("reviews:9080"), cluster, action, runtime);
        var second = Forwarding.State(Outbound.Request("reviews:9080"), cluster, action, runtime);
        first.Attempt = second.Attempt = 1;

        Assert.True(first.ShouldRetry(503, null));
        Assert.False(second.ShouldRetry(503, null));
        first.Attempt = 2;
        Assert.True(first.ShouldRetry(503, null));
        Assert.Equal(1, runtime.ActiveRetries);
        first.ReleaseRetry();
        Assert.True(second.ShouldRetry(503, null));
        second.ReleaseRetry();
        Assert.Equal(0, runtime.ActiveRetries);
    }
}
