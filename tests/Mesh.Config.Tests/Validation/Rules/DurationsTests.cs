using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Tests.Validation.Rules;

public class DurationsTests
{
    [Theory]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.0000000019s", 1_000_000_001L)]
    [InlineData("0.0000000001s", 0L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    public void Parse_IsExactToTheNanosecond(string text, long nanos) => Assert.Equal(nanos, Durations.Parse(text));

    [Theory]
    // Go's time.ParseDuration (and so Istio) refuses these as overflowing int64 nanoseconds; protobuf's Duration
    // range (315,576,000,000 s) is wider, so this is the bound that holds.
    [InlineData("9223372036854775808ns")]
    [InlineData("2562047h47m16.854775808s")]
    [InlineData("2562048h")]
    [InlineData("315576000000s")]
    [InlineData("315576000001s")]
    [InlineData("99999999999999999999999999999999h")]
    public void Parse_PastInt64Nanoseconds_IsNull(string text) => Assert.Null(Durations.Parse(text));
}
