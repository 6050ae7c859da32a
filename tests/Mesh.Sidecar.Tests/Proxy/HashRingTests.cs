using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class HashRingTests
{
    private static readonly EndpointModel A = Forwarding.Endpoint("10.0.0.1"), B = Forwarding.Endpoint("10.0.0.2"), C = Forwarding.Endpoint("10.0.0.3");

    private static string Owner(HashRing ring, string key) => ring.Walk(HashRing.Hash(key)).First();

    [Fact]
    public void Each_endpoint_owns_points_in_proportion_to_its_weight()
    {
        var ring = new HashRing([A, Forwarding.Endpoint("10.0.0.2", weight: 3)], 1024);

        var points = ring.Walk(0).GroupBy(owner => owner).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(256, points[A.Key]);
        Assert.Equal(768, points["10.0.0.2:80"]);
    }

    [Fact]
    public void Every_sidecar_builds_the_same_ring_whatever_the_order_it_learns_the_endpoints_in()
    {
        var one = new HashRing([A, B, C], 64);
        var other = new HashRing([C, A, B], 64);

        Assert.All(Enumerable.Range(0, 200).Select(i => $"user-{i}"), key => Assert.Equal(Owner(one, key), Owner(other, key)));
    }

    [Fact]
    public void Losing_an_endpoint_moves_its_keys_and_few_others()
    {
        var before = new HashRing([A, B, C], 1024);
        var after = new HashRing([A, B], 1024);
        var keys = Enumerable.Range(0, 600).Select(i => $"session-{i}").ToList();

        var others = keys.Where(k => Owner(before, k) != C.Key).ToList();
        var moved = others.Count(key => Owner(before, key) != Owner(after, key));

        Assert.All(keys, key => Assert.NotEqual(C.Key, Owner(after, key)));
        Assert.InRange(others.Count, 300, 500);
        // The survivors' points are a superset of their old ones (the ring keeps its size): a key moves only to a new point.
        Assert.InRange(moved, 0, others.Count / 3);
    }

    [Fact]
    public void A_walk_starts_at_the_first_point_at_or_after_the_key_and_wraps_around()
    {
        var ring = new HashRing([A, B], 16);
        var all = ring.Walk(0).ToList();

        Assert.Equal(all, ring.Walk(ulong.MaxValue).Take(0).Concat(all));
        Assert.Equal(all.Count, ring.Walk(HashRing.Hash("k")).Count());
        Assert.Empty(new HashRing([], 16).Walk(1));
    }
}
