using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster.Chaos;

/// <summary>Issue 13: a rolling restart of all three silos, one at a time (SIGTERM, drain, start), under writes and
/// traffic, costs no request through a sidecar or a proxyless client, no acknowledged write, and leaves every proxy in
/// sync. With <c>MESH_PREVIOUS_SILO_DLL</c> set (bench/run-rolling-upgrade.sh) the silos start as that older build and
/// come back as this tree's: an old build's cluster upgraded in place, old and new silos side by side meanwhile.</summary>
public sealed class RollingRestartTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string? Previous = Environment.GetEnvironmentVariable("MESH_PREVIOUS_SILO_DLL") is { Length: > 0 } dll ? dll : null;
    private readonly MeshUnderLoad _mesh = new(output, Previous);

    [Fact]
    public async Task EverySiloRestartedInTurn_NoRequestFails_NoWriteLost()
    {
        await _mesh.Start();

        for (var silo = 0; silo < _mesh.Silos.Count; silo++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            _mesh.Stop(silo);
            await _mesh.Back(silo);
        }

        var outcome = await _mesh.Finish(Previous is null ? "rolling restart" : $"rolling upgrade from {Previous}");
        outcome.AssertNothingLost();
        Assert.True(outcome.Writes.Failed == 0, $"applies failed during a graceful restart: {string.Join("; ", outcome.Writes.Failures.Take(5))}");
    }

    public void Dispose() => _mesh.Dispose();
}
