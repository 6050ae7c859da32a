using Mesh.Api.Audit;

namespace Mesh.Silo.Tests.Audit;

public sealed class AuditSinceTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 12, 0, 0, TimeSpan.Zero);

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
