using Mesh.Api.Audit;

namespace Mesh.Silo.Tests.Audit;

public sealed class AuditSinceTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("2h45m30s", 9930)]
    [InlineData("300ms", 0.3)]
    [InlineData("0", 0)]
    [InlineData("+15s", 15)]
    [InlineData("168h", 604800)]
    public void GoDuration_ValidSyntax_Parsed(string text, double seconds)
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
    public void GoDuration_InvalidSyntax_Explained(string text, string reason)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Since_Empty_TheLast24Hours()
    {
        Assert.True(AuditSince.TryParse("", Now, out var since, out _));
        Assert.Equal(Now.AddHours(-24), since);
    }

    [Fact]
    public void Since_Duration_BackFromNow()
    {
        Assert.True(AuditSince.TryParse("90m", Now, out var since, out _));
        Assert.Equal(Now.AddMinutes(-90), since);
    }

    [Theory]
    [InlineData("2025-03-01T08:30:00Z", "2025-03-01T08:30:00+00:00")]
    [InlineData("2025-03-01T10:30:00+02:00", "2025-03-01T08:30:00+00:00")]
    [InlineData("2025-03-01", "2025-03-01T00:00:00+00:00")]
    public void Since_Time_TakenAsUtc(string text, string expected)
    {
        Assert.True(AuditSince.TryParse(text, Now, out var since, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), since);
    }

    [Theory]
    [InlineData("-1h", "negative")]
    [InlineData("yesterday", "not a duration")]
    [InlineData("2025-13-45T00:00:00Z", "or a time like")]
    public void Since_Invalid_Explained(string text, string reason)
    {
        Assert.False(AuditSince.TryParse(text, Now, out _, out var error));
        Assert.Contains(reason, error);
    }
}
