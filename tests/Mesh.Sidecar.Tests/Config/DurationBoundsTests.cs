using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Polly;
using Polly.Timeout;

namespace Mesh.Sidecar.Tests.Config;

/// <summary>Any Duration a control plane may send becomes one the data plane honours (or a NACK naming the field),
/// never an exception on every request.</summary>
public sealed class DurationBoundsTests
{
    private const string MaxDuration = "315576000000s";

    private static ForwardAction Forward(string routeAction) => Resources.Route("""{"match": {"prefix": "/"}, "route": {"cluster": "c", """ + routeAction + "}}").Forward!;

    [Theory]
    [InlineData("\"timeout\": \"0.005s\"", 5.0)]
    [InlineData("\"timeout\": \"90000s\"", 90_000_000.0)]
    [InlineData("\"timeout\": \"0.0000005s\"", 1.0)]
    [InlineData("\"timeout\": \"0s\"", null)]
    [InlineData("\"timeout\": \"" + MaxDuration + "\"", null)]
    [InlineData("\"timeout\": \"0s\", \"max_stream_duration\": {\"max_stream_duration\": \"2s\"}", 2000.0)]
    public void Route_timeouts_are_kept_or_mean_none_as_in_Envoy(string json, double? milliseconds)
        => Assert.Equal(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, Forward(json).Timeout);

    [Fact]
    public void Retry_waits_and_per_try_timeouts_stay_within_what_a_timer_runs()
    {
        var retry = Forward($$$"""
            "retry_policy": {"retry_on": "5xx", "per_try_timeout": "{{{MaxDuration}}}",
                             "retry_back_off": {"base_interval": "{{{MaxDuration}}}", "max_interval": "{{{MaxDuration}}}"}}
            """).Retry!;

        Assert.Null(retry.PerTryTimeout);
        Assert.Equal(DurationBounds.TimerMax, retry.BaseInterval);
        Assert.Equal(DurationBounds.TimerMax, retry.MaxInterval);
    }

    [Theory]
    [InlineData("7200000s", true)]
    [InlineData(MaxDuration, true)]
    [InlineData("1s", false)]
    public void A_fault_delay_is_capped_at_what_a_timer_runs(string delay, bool capped)
    {
        var route = Resources.Route($$$"""
            {"match": {"prefix": "/"}, "route": {"cluster": "c"}, "typed_per_filter_config": {"envoy.filters.http.fault": {
              "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
              "delay": {"fixed_delay": "{{{delay}}}", "percentage": {"numerator": 100}}
            """ + "}}}");

        Assert.Equal(capped ? DurationBounds.TimerMax : TimeSpan.FromSeconds(1), route.Fault!.Delay);
    }

    [Fact]
    public void A_malformed_duration_is_refused_with_its_field_path()
    {
        var configuration = Resources.Configuration("""{"match": {"prefix": "/"}, "route": {"cluster": "c"}}""");
        configuration.VirtualHosts[0].Routes[0].Route_.Timeout = new Google.Protobuf.WellKnownTypes.Duration { Seconds = 1, Nanos = -5 };

        var (model, errors) = Resources.Compile(Mesh.Xds.Resources.TypeUrls.Route, "r", configuration);

        Assert.Null(model);
        Assert.StartsWith("RouteConfiguration r: virtual_hosts[0].routes[0].route.timeout: 1s -5ns is not a valid Duration", Assert.Single(errors));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(25 * 3600 * 1000)]
    public async Task Timeouts_outside_Pollys_10ms_to_24h_still_build_and_run(int milliseconds)
    {
        var pipeline = new ResiliencePipelineBuilder().AddTimeout(RouteResilience.Timeout(TimeSpan.FromMilliseconds(milliseconds))).Build();

        if (milliseconds < 1000) await Assert.ThrowsAsync<TimeoutRejectedException>(() => pipeline.ExecuteAsync(async token => await Task.Delay(TimeSpan.FromSeconds(2), token)).AsTask());
        else Assert.Equal(1, await pipeline.ExecuteAsync(_ => ValueTask.FromResult(1)));
    }

    [Theory]
    [InlineData(-1.0, 0.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.0001, 1.0)]
    [InlineData(5.0, 5.0)]
    [InlineData(1e13, 4294967294.0)]
    public void Waits_are_bounded_to_a_millisecond_and_a_timers_range(double milliseconds, double bounded)
        => Assert.Equal(TimeSpan.FromMilliseconds(bounded), DurationBounds.Wait(TimeSpan.FromMilliseconds(milliseconds)));
}
