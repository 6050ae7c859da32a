using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class OutlierDetectorTests
{
    private static OutlierPolicy Policy(bool enforce5xx = true, bool enforceGateway = false, int maxPercent = 100)
        => new(3, enforce5xx, 2, enforceGateway, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1), maxPercent);

    private readonly Forwarding.HealthVerdicts _verdicts = new();

    private (Action<int, int> Record, ClusterRuntime Runtime) Detector(OutlierPolicy? policy, int endpoints = 2)
    {
        var cluster = Forwarding.Cluster(CircuitLimits.Unlimited, policy, LbKind.RoundRobin,
            [.. Enumerable.Range(1, endpoints).Select(i => Forwarding.Endpoint($"10.0.0.{i}"))]);
        var state = Forwarding.Yarp(cluster);
        var runtime = new ClusterRuntime("c");
        var detector = Forwarding.Outliers(_verdicts);
        IReadOnlyList<DestinationState> all = state.DestinationsState.AllDestinations;
        return ((endpoint, status) => detector.Record(cluster, runtime, state, all[endpoint], status), runtime);
    }

    [Fact]
    public void Consecutive_5xx_eject_the_endpoint_for_the_base_ejection_time()
    {
        var (record, runtime) = Detector(Policy());

        record(0, 500);
        record(0, 503);
        Assert.Empty(_verdicts.Passive);
        record(0, 500);

        Assert.Equal([("10.0.0.1:80", DestinationHealth.Unhealthy, TimeSpan.FromMilliseconds(20))], _verdicts.Passive);
        Assert.Equal(1, runtime.Endpoint("10.0.0.1:80").TimesEjected);
        Assert.Equal(3, runtime.Endpoint("10.0.0.1:80").Failures);
    }

    [Fact]
    public void A_success_between_errors_starts_the_count_again()
    {
        var (record, runtime) = Detector(Policy());

        foreach (var status in new[] { 500, 500, 200, 500, 500 }) record(0, status);

        Assert.Empty(_verdicts.Passive);
        Assert.Equal(5, runtime.Endpoint("10.0.0.1:80").Requests);
    }

    [Fact]
    public void Gateway_failures_eject_on_their_own_count_when_enforced()
    {
        var (record, _) = Detector(Policy(enforce5xx: false, enforceGateway: true));

        record(0, 500);
        record(0, 500);
        record(0, 500);
        Assert.Empty(_verdicts.Passive);
        record(0, 502);
        record(0, 0);

        Assert.Single(_verdicts.Passive);
    }

    [Fact]
    public void Without_outlier_detection_errors_are_counted_but_nobody_is_ejected()
    {
        var (record, runtime) = Detector(null);

        for (var i = 0; i < 10; i++) record(0, 503);

        Assert.Empty(_verdicts.Passive);
        Assert.Equal(10, runtime.Endpoint("10.0.0.1:80").Failures);
    }

    [Fact]
    public void No_more_than_max_ejection_percent_are_ejected_but_always_one()
    {
        var (record, _) = Detector(Policy(maxPercent: 10), endpoints: 3);

        for (var i = 0; i < 3; i++) record(0, 500);
        for (var i = 0; i < 3; i++) record(1, 500);

        Assert.Equal(["10.0.0.1:80"], _verdicts.Passive.Select(v => v.Destination));
    }

    [Fact]
    public async Task Each_ejection_of_the_same_endpoint_lasts_longer()
    {
        var (record, _) = Detector(Policy());

        for (var i = 0; i < 3; i++) record(0, 500);
        await Task.Delay(60);
        for (var i = 0; i < 3; i++) record(0, 500);

        Assert.Equal([TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)], _verdicts.Passive.Select(v => v.Period));
    }
}
