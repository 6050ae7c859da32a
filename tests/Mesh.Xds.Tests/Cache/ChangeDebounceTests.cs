using Mesh.Xds.Cache;

namespace Mesh.Xds.Tests.Cache;

public sealed class ChangeDebounceTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(1);
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int ms) => T0.AddMilliseconds(ms);

    [Fact]
    public void ALoneChange_IsDueAtOnce()
    {
        var debounce = new ChangeDebounce(Quiet, Max);

        debounce.Note(At(0), pending: false);

        Assert.Equal(At(0), debounce.Due());
    }

    [Fact]
    public void AChangeAfterAQuietPeriod_IsDueAtOnce()
    {
        var debounce = new ChangeDebounce(Quiet, Max);
        debounce.Note(At(0), pending: false);

        debounce.Note(At(150), pending: false);

        Assert.Equal(At(150), debounce.Due());
    }

    [Fact]
    public void AChangeRightAfterAPush_WaitsForQuiet()
    {
        var debounce = new ChangeDebounce(Quiet, Max);
        debounce.Note(At(0), pending: false);

        debounce.Note(At(30), pending: false);

        Assert.Equal(At(130), debounce.Due());
    }

    [Fact]
    public void ABurst_IsBatchedUntilQuiet_AndNoLongerThanTheCeiling()
    {
        var debounce = new ChangeDebounce(Quiet, Max);
        debounce.Note(At(0), pending: false);
        debounce.Note(At(50), pending: false);

        debounce.Note(At(120), pending: true);
        Assert.Equal(At(220), debounce.Due());

        for (var ms = 200; ms <= 1500; ms += 50) debounce.Note(At(ms), pending: true);
        Assert.Equal(At(1050), debounce.Due());
    }

    [Fact]
    public void AChangeJoiningALonePush_NotYetSent_GoesWithIt()
    {
        var debounce = new ChangeDebounce(Quiet, Max);
        debounce.Note(At(0), pending: false);

        debounce.Note(At(1), pending: true);

        Assert.Equal(At(0), debounce.Due());
    }
}
