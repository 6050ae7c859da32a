using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Yarp.ReverseProxy.Forwarder;
using static Mesh.Sidecar.Tests.Proxy.Forwarding.ScriptedForwarder;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class ForwardPipelineTests
{
    private static readonly UpstreamCluster TwoEndpoints = Forwarding.Cluster(Forwarding.Endpoint("10.0.0.1"), Forwarding.Endpoint("10.0.0.2"));

    private static async Task<(Microsoft.AspNetCore.Http.HttpContext Context, Forwarding.ScriptedForwarder Forwarder)> Forward(
        ForwardAction action, UpstreamCluster cluster, params Func<Forwarding.ScriptedAttempt, Task<ForwarderError>>[] script)
    {
        var forwarder = new Forwarding.ScriptedForwarder(script);
        var pipeline = new ForwardPipeline(Outbound.Options, Forwarding.Outliers(), forwarder, new SidecarMetrics());
        var context = Outbound.Request("reviews:9080", "/reviews/1");
        await pipeline.Forward(Forwarding.State(context, cluster, action)).WaitAsync(TimeSpan.FromSeconds(10));
        return (context, forwarder);
    }

    [Fact]
    public async Task A_gateway_error_is_retried_on_another_endpoint()
    {
        var (context, forwarder) = await Forward(Forwarding.Action(Forwarding.Retry("gateway-error")), TwoEndpoints, Responds(503), Responds(200));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(2, context.Items[RequestItems.Attempts]);
        Assert.Equal(2, forwarder.Destinations.Distinct().Count());
    }

    [Fact]
    public async Task Without_a_retry_policy_the_upstreams_answer_is_the_answer()
    {
        var (context, forwarder) = await Forward(Forwarding.Action(), TwoEndpoints, Responds(503), Responds(200));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Single(forwarder.Destinations);
        Assert.Equal(1, context.Items[RequestItems.Attempts]);
    }

    [Fact]
    public async Task When_the_retries_run_out_the_last_answer_goes_to_the_client()
    {
        var (context, forwarder) = await Forward(Forwarding.Action(Forwarding.Retry("5xx", retries: 2)), TwoEndpoints, Responds(500));

        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal(3, forwarder.Destinations.Count);
    }

    [Fact]
    public async Task A_connect_failure_is_retried_when_the_route_says_so()
    {
        var (context, forwarder) = await Forward(Forwarding.Action(Forwarding.Retry("connect-failure")), TwoEndpoints, Fails(ForwarderError.Request), Responds(200));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(2, forwarder.Destinations.Count);
    }

    [Theory]
    [InlineData(ForwarderError.Request, "connection failure", "UF")]
    [InlineData(ForwarderError.ResponseHeaders, "remote reset", "UR")]
    public async Task A_failure_that_is_not_retried_is_answered_in_Envoys_words(ForwarderError error, string reason, string flags)
    {
        var (context, _) = await Forward(Forwarding.Action(Forwarding.Retry("retriable-4xx")), TwoEndpoints, Fails(error));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal($"upstream connect error or disconnect/reset before headers. reset reason: {reason}", Outbound.Body(context));
        Assert.Equal(flags, context.Items[RequestItems.ResponseFlags]);
    }

    [Fact]
    public async Task A_cluster_without_available_endpoints_has_no_healthy_upstream()
    {
        var (context, forwarder) = await Forward(Forwarding.Action(), Forwarding.Cluster());

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("no healthy upstream", Outbound.Body(context));
        Assert.Equal("UH", context.Items[RequestItems.ResponseFlags]);
        Assert.Empty(forwarder.Destinations);
    }

    [Fact]
    public async Task A_full_circuit_breaker_refuses_the_request_before_any_attempt()
    {
        var cluster = Forwarding.Cluster(new CircuitLimits(null, null, MaxRequests: 0, null), null, LbKind.RoundRobin, Forwarding.Endpoint("10.0.0.1"));

        var (context, forwarder) = await Forward(Forwarding.Action(), cluster, Responds(200));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("UO", context.Items[RequestItems.ResponseFlags]);
        Assert.Equal("true", context.Response.Headers["x-envoy-overloaded"]);
        Assert.Equal("max_requests", context.Response.Headers["x-mesh-circuit-breaker"]);
        Assert.Empty(forwarder.Destinations);
    }

    [Fact]
    public async Task An_upstream_slower_than_the_route_timeout_gets_504()
    {
        var (context, _) = await Forward(Forwarding.Action(timeout: TimeSpan.FromMilliseconds(50)), TwoEndpoints, Hangs());

        Assert.Equal(504, context.Response.StatusCode);
        Assert.Equal("upstream request timeout", Outbound.Body(context));
        Assert.Equal("UT", context.Items[RequestItems.ResponseFlags]);
    }

    [Fact]
    public async Task A_per_try_timeout_is_retried()
    {
        var retry = Forwarding.Retry("5xx", perTry: TimeSpan.FromMilliseconds(50));

        var (context, forwarder) = await Forward(Forwarding.Action(retry, TimeSpan.FromSeconds(5)), TwoEndpoints, Hangs(), Responds(200));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(2, forwarder.Destinations.Count);
    }
}
