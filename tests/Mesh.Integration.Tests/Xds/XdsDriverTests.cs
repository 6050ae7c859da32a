using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Xds;

/// <summary>The client drivers and backends on their own, with no Mesh server: direct targets, and an xDS server nobody runs.</summary>
public sealed class XdsDriverTests : IDisposable
{
    private readonly WorkDir _dir = new("xds-driver");

    [Theory]
    [MemberData(nameof(XdsClientKinds.All), MemberType = typeof(XdsClientKinds))]
    public async Task Direct_target_is_answered_by_that_backend_only(XdsClientKind kind)
    {
        using var v1 = await BackendProcess.StartAsync("v1", _dir.Path);
        using var v2 = await BackendProcess.StartAsync("v2", _dir.Path);
        using var client = await XdsClientProcess.StartDirectAsync(kind, v2.Address, _dir.Path);

        var counts = await client.CallsAsync(100, new Dictionary<string, string> { ["x-canary"] = "yes" });

        Assert.True(counts.Answered("v2") == 100 && counts.Total == 100, counts.ToString());
        Assert.Equal(1.0, counts.Share("v2"));
        Assert.Equal(100, (await v2.StatsAsync()).Calls);
        Assert.Equal(0, (await v1.StatsAsync()).Calls);
    }

    [Theory]
    [MemberData(nameof(XdsClientKinds.All), MemberType = typeof(XdsClientKinds))]
    public async Task Fail_rate_one_half_fails_every_other_call_with_UNAVAILABLE(XdsClientKind kind)
    {
        using var v1 = await BackendProcess.StartAsync("v1", _dir.Path);
        using var client = await XdsClientProcess.StartDirectAsync(kind, v1.Address, _dir.Path);

        await v1.SetFailRateAsync(0.5);
        var failing = await client.CallsAsync(100);
        await v1.SetFailRateAsync(0);
        var healed = await client.CallsAsync(20);

        Assert.True(failing.ErrorCount("UNAVAILABLE") == 50 && failing.Answered("v1") == 50 && failing.Total == 100, failing.ToString());
        Assert.Contains(failing.ErrorTexts, text => text.Contains("failed this call on purpose"));
        Assert.True(healed.Answered("v1") == 20 && healed.Failed == 0, healed.ToString());
    }

    [Theory]
    [MemberData(nameof(XdsClientKinds.All), MemberType = typeof(XdsClientKinds))]
    public async Task Background_calls_and_until_count_every_call(XdsClientKind kind)
    {
        using var v1 = await BackendProcess.StartAsync("v1", _dir.Path, delay: TimeSpan.FromMilliseconds(2));
        using var client = await XdsClientProcess.StartDirectAsync(kind, v1.Address, _dir.Path);

        await client.StartCallingAsync();
        await Task.Delay(2000);
        var background = await client.StopCallingAsync();
        var reached = await client.UntilAsync("v1", minShare: 1.0, TimeSpan.FromSeconds(30), window: 20);
        // The window also caps each call's deadline: long enough for a loaded machine, as v2 never answers anyway.
        var missed = await client.UntilAsync("v2", minShare: 0.4, TimeSpan.FromSeconds(2), window: 20);

        Assert.True(background.Answered("v1") > 10 && background.Failed == 0, background.ToString());
        Assert.True(reached.Reached && reached.Counts.Answered("v1") == 20, reached.ToString());
        Assert.True(!missed.Reached && missed.Counts.Failed == 0 && missed.Counts.Elapsed >= TimeSpan.FromSeconds(2), missed.ToString());
        Assert.Equal(background.Total + 20 + missed.Counts.Total, (await v1.StatsAsync()).Calls);
    }

    [Theory]
    [MemberData(nameof(XdsClientKinds.All), MemberType = typeof(XdsClientKinds))]
    public async Task Unreachable_xds_server_fails_calls_and_the_client_lives_on(XdsClientKind kind)
    {
        var nobody = FreePorts.Next();
        using var client = await XdsClientProcess.StartAsync(kind, XdsBootstrap.ForPorts(nobody), _dir.Path);

        var counts = await client.CallsAsync(3, deadline: TimeSpan.FromSeconds(1));

        Assert.True(counts.Failed == 3 && counts.Succeeded == 0, counts.ToString());
        // C-core fails at once with the xDS channel's error; grpc-js-xds 1.14.1 queues the call
        // "waiting for name resolution" until its deadline, so it counts DEADLINE_EXCEEDED.
        var expected = kind == XdsClientKind.CCore ? "UNAVAILABLE" : "DEADLINE_EXCEEDED";
        Assert.True(counts.ErrorCount(expected) == 3, counts.ToString());
        Assert.False(client.HasExited);
    }

    public void Dispose() => _dir.Dispose();
}
