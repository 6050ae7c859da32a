using Mesh.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster.Chaos;

/// <summary>Issue 13: silos SIGKILLed and restarted under writes and traffic, some kills landing while Redis is stalled
/// (SIGSTOP/SIGCONT, the window where a write reaches storage after its caller gave up), once Redis itself restarted.
/// At the end no acknowledged write is lost, every silo serves every service as stored (fresh and long-lived xDS
/// streams), and no request through a sidecar or a proxyless client failed. <c>MESH_CHAOS_SECONDS</c> lengthens the
/// run (bench/run-chaos-soak.sh) and <c>MESH_CHAOS_REPORT</c> names a file for the numbers.</summary>
public sealed class ChaosTests(ITestOutputHelper output) : IDisposable
{
    private readonly MeshUnderLoad _mesh = new(output);

    [Fact]
    public async Task SilosKilledDuringRedisStalls_NoAcknowledgedWriteLost_EveryServiceConverges()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MESH_CHAOS_SECONDS"), out var s) ? s : 40;
        await _mesh.Start();

        // A kill during a Redis stall, a Redis restart, a plain kill; again until the time is up, at least one of each.
        var random = new Random(7);
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        for (var cycle = 0; DateTime.UtcNow < end || cycle < 3; cycle++)
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            var victim = random.Next(_mesh.Silos.Count);
            switch (cycle % 3)
            {
                case 0:
                    _mesh.Log("redis stalled");
                    _mesh.Redis.Stall();
                    await Task.Delay(300);
                    _mesh.Kill(victim);
                    await Task.Delay(700);
                    _mesh.Redis.Resume();
                    break;
                case 1:
                    _mesh.Log("restarting redis");
                    _mesh.Redis.Kill();
                    await _mesh.Redis.Start();
                    _mesh.FaultEnded();
                    continue;
                default:
                    _mesh.Kill(victim);
                    break;
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
            await _mesh.Back(victim);
        }

        (await _mesh.Finish($"{seconds} s of faults")).AssertNothingLost();
    }

    public void Dispose() => _mesh.Dispose();
}
