using Mesh.Config.Views.ApiPolicies;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy.RateLimits;
using Mesh.Xds.Protos.ApiPolicy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Sidecar.Tests.Proxy.RateLimits;

public sealed class ClusterLeasesTests
{
    private readonly SteppedClock _clock = new();

    private static RateLimitModel Limit(long max = 40, bool failClosed = true) =>
        new("ApiPolicy/edge/p/all", null, [], RateLimitKey.None, null, new TokenBucketShape(max, max, TimeSpan.FromMinutes(1)), Cluster: true, failClosed);

    private ClusterLeases Gateway(Func<LeaseRequest, Task<LeaseResponse>> lease) =>
        new(new LeaseChannel(lease), _clock, NullLogger<ClusterLeases>.Instance);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void No_request_waits_for_the_first_lease_up_to_one_batch_is_admitted_on_credit(bool failClosed)
    {
        var never = new TaskCompletionSource<LeaseResponse>();
        var gateway = Gateway(_ => never.Task);

        var admitted = Enumerable.Range(0, 6).Select(_ => gateway.Take(Limit(failClosed: failClosed), "").Admitted).ToList();

        Assert.Equal([true, true, true, true, false, false], admitted);
    }

    [Fact]
    public void A_gateway_serves_from_its_lease_and_tops_it_up_at_half_a_batch()
    {
        var grains = new FakeLeases(_clock);
        var gateway = Gateway(grains.Grant);
        var limit = Limit();

        // The first on credit; the first lease (4 tokens, 10% of 40, and the one owed) answers after it.
        var served = Enumerable.Range(0, 4).Select(_ => gateway.Take(limit, "")).ToList();

        Assert.All(served, d => Assert.True(d.Admitted));
        Assert.Equal(40, served[0].Limit);
        Assert.Equal(2, grains.Calls); // the first lease, then a top-up once half a batch was left
    }

    [Fact]
    public void Two_gateways_admit_no_more_than_the_bucket_plus_one_batch_each()
    {
        var grains = new FakeLeases(_clock);
        var gateways = new[] { Gateway(grains.Grant), Gateway(grains.Grant) };
        var limit = Limit(max: 40);

        var admitted = Enumerable.Range(0, 200).Count(i => gateways[i % 2].Take(limit, "").Admitted);

        var batch = ClusterLeases.BatchOf(limit.Shape);
        Assert.Equal(4, batch);
        Assert.InRange(admitted, 40 - 2 * batch, 40 + 2 * batch);
    }

    [Fact]
    public void An_unreachable_control_plane_fails_as_the_limit_says()
    {
        var open = Gateway(_ => Task.FromException<LeaseResponse>(new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "down"))));
        var closed = Gateway(_ => Task.FromException<LeaseResponse>(new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "down"))));

        // The first request of each is admitted on credit; its lease fails.
        open.Take(Limit(failClosed: false), "");
        closed.Take(Limit(failClosed: true), "");

        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(open.Take(Limit(failClosed: false), "").Admitted));
        Assert.All(Enumerable.Range(0, 5), _ => Assert.False(closed.Take(Limit(failClosed: true), "").Admitted));
    }

    [Fact]
    public void An_empty_cluster_bucket_is_not_asked_again_before_it_fills()
    {
        var grains = new FakeLeases(_clock);
        var gateway = Gateway(grains.Grant);
        var limit = Limit(max: 10);

        var admitted = Enumerable.Range(0, 50).Count(_ => gateway.Take(limit, "").Admitted);
        var calls = grains.Calls;
        Enumerable.Range(0, 50).ToList().ForEach(_ => gateway.Take(limit, ""));

        Assert.Equal(10, admitted);
        Assert.Equal(calls, grains.Calls);
        _clock.Advance(TimeSpan.FromMinutes(1));
        gateway.Take(limit, "");
        Assert.True(gateway.Take(limit, "").Admitted);
    }
}
