using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Embedded;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Xds;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>Three silos on a replicated Redis under Sentinel (a primary, two replicas, three sentinels): the
/// primary is SIGKILLed under continuous applies and proxyless xDS traffic. The silos carry on against the
/// promoted replica, not one call fails, applies succeed again after the failover, every acknowledged apply
/// (each waited for a replica's WAIT) is readable afterwards, and a new silo can still join. The silos run the
/// production membership profile: no silo is killed here, and the test profile's sub-second probes declared a live
/// but CPU-starved silo dead on a loaded machine, which is another fault (see ChaosTests and WritesDuringDeathTests).</summary>
public sealed class SentinelFailoverTests : IDisposable
{
    private const int Workers = 4;
    private readonly WorkDir _dir = new("sentinel");
    private readonly RedisSentinels _redis;
    private readonly RedisCluster _cluster;
    private readonly List<IDisposable> _processes = [];
    private readonly ITestOutputHelper _output;

    public SentinelFailoverTests(ITestOutputHelper output)
    {
        _output = output;
        _redis = new RedisSentinels(_dir.Path);
        _cluster = new RedisCluster { RedisAddress = _redis.Address, FastMembership = false };
    }

    [Fact]
    public async Task PrimaryIsKilledUnderLoad_SilosFollowThePromotedReplica_AndNoAcknowledgedWriteIsLost()
    {
        await _redis.Start();
        await _cluster.StartSilos(3);
        var silos = _cluster.Silos.ToList();
        var backends = new Dictionary<string, int>();
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            var backend = await BackendProcess.StartAsync(version, _dir.Path);
            _processes.Add(backend);
            backends[version] = backend.Port;
        }
        await silos[0].Client.ApplyAsync(new ApplyRequest { Manifest = XdsMesh.Manifest(backends) });
        using var service = new TcpForwarder([.. silos.Select(s => s.XdsPort)]);
        var client = await XdsClientProcess.StartAsync(XdsClientKind.GrpcJs, XdsBootstrap.ForPorts(service.Port), _dir.Path);
        _processes.Add(client);
        await Timeouts.Until(async () => (await client.CallsAsync(50)).Failed == 0, TimeSpan.FromSeconds(60), "the client calling without a failure");

        var clock = Stopwatch.StartNew();
        var acknowledged = new ConcurrentDictionary<string, int>();
        var acknowledgedAt = new ConcurrentBag<double>();
        var failures = new ConcurrentBag<string>();
        double killedAt = double.MaxValue;
        using var stop = new CancellationTokenSource();
        var next = -1;
        await client.StartCallingAsync();
        var load = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                var (name, weight) = ($"vs-{i:D5}", i % 101);
                var silo = silos[i % silos.Count];
                try
                {
                    await silo.Client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService(name, "sentinel", weight).ToJsonString() },
                        deadline: DateTime.UtcNow.AddSeconds(15));
                    acknowledged[name] = weight;
                    acknowledgedAt.Add(clock.Elapsed.TotalMilliseconds);
                }
                catch (RpcException exception)
                {
                    // Unknown outcome: not counted as acknowledged, so not required afterwards.
                    failures.Add($"{clock.Elapsed.TotalMilliseconds:0} ms {name} via {silo.Name}: {exception.StatusCode} {exception.Status.Detail}");
                    await Task.Delay(100);
                }
            }
        })).ToList();

        await Timeouts.Until(() => Task.FromResult(acknowledged.Count >= 30), TimeSpan.FromSeconds(60), "30 applies acknowledged before the kill");
        var primary = await _redis.PrimaryPort();
        var before = acknowledged.Count;
        killedAt = clock.Elapsed.TotalMilliseconds;
        _redis.Kill(primary);
        _output.WriteLine($"killed the primary :{primary} after {before} acknowledged applies");

        await Timeouts.Until(async () => await _redis.PrimaryPort() != primary, TimeSpan.FromSeconds(20), "the sentinels promoting a replica");
        _output.WriteLine($"sentinels promoted :{await _redis.PrimaryPort()} {clock.Elapsed.TotalMilliseconds - killedAt:0} ms after the kill");
        await Timeouts.Until(() => Task.FromResult(acknowledgedAt.Count(t => t > killedAt) >= 50), TimeSpan.FromSeconds(30),
            "50 applies acknowledged after the failover");
        await stop.CancelAsync();
        await Task.WhenAll(load).Within(TimeSpan.FromSeconds(30), "the load stopping");
        var during = await client.StopCallingAsync();

        // The failover pause: the longest time without an acknowledged apply, from the kill on.
        var times = acknowledgedAt.Where(t => t > killedAt).Prepend(killedAt).Order().ToList();
        var pause = times.Zip(times.Skip(1), (a, b) => b - a).Max();
        _output.WriteLine($"{acknowledged.Count} applies acknowledged ({before} before the kill), {failures.Count} failed; "
            + $"longest time without an acknowledged apply after the kill: {pause:0} ms; xDS calls during: {during}");
        foreach (var failure in failures.Take(10)) _output.WriteLine(failure);
        Assert.True(during.Failed == 0, $"xDS calls failed during the failover: {during}");

        foreach (var silo in silos)
        {
            Assert.True(await silo.IsHealthy(), $"{silo.Name} is not healthy after the failover");
            var lost = await Lost(silo, acknowledged);
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged applies lost through {silo.Name}: "
                + string.Join(", ", await Task.WhenAll(lost.Take(10).Select(name => Described(silo, name)))));
        }
        _output.WriteLine($"0 of {acknowledged.Count} acknowledged applies lost");

        // Membership follows the new primary too: a silo joins, and a change made through it reaches the client.
        await _cluster.AddSilos(1);
        await _cluster.Silos[^1].Client.ApplyAsync(new ApplyRequest { Manifest = XdsMesh.VirtualService(50, 50) });
        var followed = await client.UntilAsync("v2", minShare: 0.4, timeout: TimeSpan.FromSeconds(15), window: 200);
        Assert.True(followed.Reached, $"the client did not follow a change made after the failover: {followed}");
    }

    private static async Task<List<string>> Lost(SiloProcess silo, IReadOnlyDictionary<string, int> acknowledged)
    {
        var stored = new Dictionary<string, double>();
        var list = await silo.Client.ListAsync(new ListRequest { Kind = "vs", Namespace = "sentinel" }, deadline: DateTime.UtcNow.AddSeconds(30));
        foreach (var item in list.Items)
        {
            stored[item.Metadata.Name] = item.Spec.Fields["http"].ListValue.Values[0].StructValue.Fields["route"].ListValue.Values[0].StructValue.Fields["weight"].NumberValue;
        }
        return [.. acknowledged.Where(a => stored.GetValueOrDefault(a.Key, -1) != a.Value).Select(a => a.Key)];
    }

    /// <summary>A lost name with what a get of it says, which tells a lost write from a listing that missed it.</summary>
    private static async Task<string> Described(SiloProcess silo, string name)
    {
        try
        {
            var resource = await silo.Client.GetAsync(new GetRequest { Kind = "vs", Namespace = "sentinel", Name = name }, deadline: DateTime.UtcNow.AddSeconds(10));
            return $"{name} (get: resourceVersion {resource.Metadata.ResourceVersion})";
        }
        catch (RpcException exception)
        {
            return $"{name} (get: {exception.StatusCode})";
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        _cluster.Dispose();
        _redis.Dispose();
        _dir.Dispose();
    }
}
