using Mesh.Config.Text;

namespace Mesh.Config.Tests.Text;

public class GoDurationTests
{
    [Theory]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("200ms", 200_000_000L)]
    [InlineData("10us", 10_000L)]
    [InlineData("0", 0L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.0000000019s", 1_000_000_001L)]
    [InlineData("0.0000000001s", 0L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    public void Nanoseconds_IsExactToTheNanosecond(string text, long nanos) => Assert.Equal(nanos, GoDuration.Nanoseconds(text));

    [Theory]
    // Go's time.ParseDuration (and so Istio) refuses these as overflowing int64 nanoseconds; protobuf's Duration
    // range (315,576,000,000 s) is wider, so this is the bound that holds.
    [InlineData("9223372036854775808ns")]
    [InlineData("2562047h47m16.854775808s")]
    [InlineData("2562048h")]
    [InlineData("315576000000s")]
    [InlineData("315576000001s")]
    [InlineData("99999999999999999999999999999999h")]
    public void Nanoseconds_PastInt64_IsNull(string text) => Assert.Null(GoDuration.Nanoseconds(text));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("1.2.3s")]
    [InlineData("10 s")]
    [InlineData("ms")]
    [InlineData("1d")]
    [InlineData("-1s")]
    public void Nanoseconds_Garbage_IsNull(string text) => Assert.Null(GoDuration.Nanoseconds(text));

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("90m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("2h45m30s", 9930)]
    [InlineData("300ms", 0.3)]
    [InlineData("0", 0)]
    [InlineData("+15s", 15)]
    [InlineData("-15s", -15)]
    [InlineData("168h", 604800)]
    public void TryParse_SignedFlag_Parsed(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("1", "a number has no unit")]
    [InlineData("7d", "unknown unit \"d\"")]
    [InlineData("h", "expected a number")]
    [InlineData("1h 30m", "unknown unit \"h \"")]
    [InlineData("1..5s", "expected a number")]
    [InlineData("2562048h", "too long")]
    public void TryParse_Invalid_SaysWhyAndHow(string text, string reason)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Contains("write it like 90s", error);
    }
}
