using Mesh.Config.Views.ApiPolicies;

namespace Mesh.Config.Tests.Views.ApiPolicies;

/// <summary>Envoy's token bucket: full at the start, a token a request, tokens_per_fill back each whole fill_interval.</summary>
public sealed class TokenBucketTests
{
    private sealed class Clock : TimeProvider
    {
        public long Ticks { get; set; } = 1_000_000;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    private readonly Clock _clock = new();

    private TokenBucket Bucket(long max = 3, long perFill = 2, double seconds = 1) => new(new TokenBucketShape(max, perFill, TimeSpan.FromSeconds(seconds)), _clock);

    [Fact]
    public void Starts_full_and_refuses_past_max_tokens_with_the_headers_values()
    {
        var bucket = Bucket();

        var taken = Enumerable.Range(0, 4).Select(_ => bucket.TryTake()).ToList();

        Assert.Equal([true, true, true, false], taken.Select(d => d.Admitted));
        Assert.Equal([2L, 1L, 0L, 0L], taken.Select(d => d.Remaining));
        Assert.All(taken, d => Assert.Equal(3, d.Limit));
        Assert.All(taken, d => Assert.Equal(1, d.ResetSeconds));
    }

    [Fact]
    public void Fills_tokens_per_fill_each_whole_interval_up_to_max_tokens()
    {
        var bucket = Bucket();
        for (var i = 0; i < 3; i++) bucket.TryTake();

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(bucket.TryTake().Admitted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => bucket.TryTake().Admitted));

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, bucket.TakeUpTo(100));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.UntilNextFill());
    }

    [Fact]
    public void A_partial_interval_carries_over_to_the_next_fill()
    {
        var bucket = Bucket(max: 1, perFill: 1, seconds: 2);
        bucket.TryTake();

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(bucket.TryTake().Admitted);
        Assert.Equal(1, bucket.TryTake().ResetSeconds);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.TryTake().Admitted);
    }

    [Fact]
    public void Is_full_when_idle_long_enough()
    {
        var bucket = Bucket();
        bucket.TryTake();
        Assert.False(bucket.Full);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.Full);
    }
}
