using Mesh.Grains.RateLimits;

namespace Mesh.Grains.Tests.RateLimits;

/// <summary>A cluster bucket leases what it holds and no more, one bucket per limit and key.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class RateLimitGrainTests(MeshCluster mesh)
{
    private readonly string _bucket = $"ApiPolicy/rl-{Guid.NewGuid():N}/p/limit";

    private IRateLimitGrain Bucket(string key) => mesh.Grains.GetGrain<IRateLimitGrain>(IRateLimitGrain.KeyOf(_bucket, key));

    private static LeaseAsk Ask(long tokens, long max = 10) => new(tokens, max, 1, TimeSpan.FromHours(1));

    [Fact]
    public async Task Leases_come_out_of_one_bucket_until_it_is_empty()
    {
        var bucket = Bucket("client-a");

        var first = await bucket.Lease(Ask(4)).Within();
        var second = await bucket.Lease(Ask(4)).Within();
        var third = await bucket.Lease(Ask(4)).Within();
        var fourth = await bucket.Lease(Ask(4)).Within();

        Assert.Equal([4L, 4L, 2L, 0L], [first.Granted, second.Granted, third.Granted, fourth.Granted]);
        Assert.InRange(fourth.NextFill, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Each_key_has_its_own_bucket()
    {
        Assert.Equal(10, (await Bucket("a").Lease(Ask(10)).Within()).Granted);
        Assert.Equal(10, (await Bucket("b").Lease(Ask(10)).Within()).Granted);
        Assert.Equal(0, (await Bucket("a").Lease(Ask(1)).Within()).Granted);
    }

    [Fact]
    public async Task A_new_shape_starts_the_bucket_again_full()
    {
        var bucket = Bucket("c");
        Assert.Equal(10, (await bucket.Lease(Ask(10)).Within()).Granted);

        Assert.Equal(20, (await bucket.Lease(Ask(50, max: 20)).Within()).Granted);
    }
}
