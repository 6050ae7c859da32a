using Mesh.Cli.Analytics;

namespace Mesh.Cli.Tests.Analytics;

public sealed class HistogramQuantileTests
{
    private static SortedDictionary<double, double> Buckets(params (double Le, double Count)[] buckets)
        => new(buckets.ToDictionary(b => b.Le, b => b.Count));

    [Fact]
    public void The_rank_is_interpolated_linearly_inside_its_bucket()
    {
        // 10 requests: 4 at most 10 ms, 10 at most 20 ms. The median (rank 5) is 1/6 into (10, 20].
        var buckets = Buckets((10, 4), (20, 10), (double.PositiveInfinity, 10));

        Assert.Equal(10 + 10.0 / 6, HistogramQuantile.Of(0.5, buckets)!.Value, 9);
        Assert.Equal(10 + 10 * 5.9 / 6, HistogramQuantile.Of(0.99, buckets)!.Value, 9);
    }

    [Fact]
    public void The_first_bucket_starts_at_zero()
        => Assert.Equal(2.5, HistogramQuantile.Of(0.5, Buckets((5, 10), (double.PositiveInfinity, 10))));

    [Fact]
    public void A_rank_in_the_infinite_bucket_gives_the_highest_finite_bound()
        => Assert.Equal(100, HistogramQuantile.Of(0.99, Buckets((50, 1), (100, 2), (double.PositiveInfinity, 10))));

    [Fact]
    public void Empty_buckets_give_no_estimate()
    {
        Assert.Null(HistogramQuantile.Of(0.5, Buckets()));
        Assert.Null(HistogramQuantile.Of(0.5, Buckets((10, 0), (double.PositiveInfinity, 0))));
    }
}
