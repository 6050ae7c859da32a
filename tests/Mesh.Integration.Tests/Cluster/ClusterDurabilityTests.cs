using System.Collections.Concurrent;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Embedded;
using Mesh.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>Three silo processes on a real redis-server (append-only, fsync always): a silo is SIGKILLed in the
/// middle of 1,000 concurrent applies, and every apply that returned success is afterwards readable with the
/// right content through both survivors, and again after all silos and Redis itself are restarted.</summary>
public sealed class ClusterDurabilityTests(ITestOutputHelper output) : IDisposable
{
    private const int Applies = 1000;
    private const int Workers = 8;
    private const int Namespaces = 5;
    private readonly RedisCluster _cluster = new();

    [Fact]
    public async Task SiloKilledMidLoad_LosesNoAcknowledgedApply_AndAFullRestartLosesNothing()
    {
        await _cluster.Redis.Start();
        await _cluster.StartSilos(3);
        var silos = _cluster.Silos.ToList();
        var victim = silos[2];
        var killed = false;

        using var stopWatch = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var watched = new ConcurrentDictionary<string, byte>();
        var subscribed = new TaskCompletionSource();
        var watch = Task.Run(() => Watch(silos[0], "load-0", watched, subscribed, stopWatch.Token));
        await subscribed.Task.Within(TimeSpan.FromSeconds(30), "the watch subscribing");

        var acknowledged = new ConcurrentDictionary<string, (string Namespace, int Weight)>();
        var refused = new ConcurrentBag<string>();
        var next = -1;
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Applies)
            {
                if (i == Applies * 3 / 10 && !killed)
                {
                    killed = true;
                    victim.Kill();
                    output.WriteLine($"killed {victim.Name} after {acknowledged.Count} acknowledged applies");
                }
                var (name, ns, weight) = ($"vs-{i:D4}", $"load-{i % Namespaces}", i % 101);
                var manifest = Samples.VirtualService(name, ns, weight).ToJsonString();
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    var silo = silos[(i + attempt) % silos.Count];
                    try
                    {
                        await silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest }, deadline: DateTime.UtcNow.AddSeconds(20));
                        acknowledged[name] = (ns, weight);
                        break;
                    }
                    catch (RpcException exception)
                    {
                        refused.Add($"{name} via {silo.Name}: {exception.StatusCode} {exception.Status.Detail}");
                        await Task.Delay(300 * (attempt + 1));
                    }
                }
            }
        })).ToList();
        await Task.WhenAll(workers).Within(TimeSpan.FromMinutes(5), "the load");

        output.WriteLine($"{acknowledged.Count} of {Applies} applies acknowledged; {refused.Count} attempts failed");
        foreach (var failure in refused.Take(10)) output.WriteLine(failure);
        Assert.True(killed, "the silo was never killed");
        Assert.True(acknowledged.Count >= Applies * 9 / 10, $"only {acknowledged.Count} applies succeeded");

        var survivors = silos.Where(s => s != victim).ToList();
        foreach (var survivor in survivors)
        {
            await VerifyAll(survivor, acknowledged);
        }

        // The change feed of load-0 may have lived on the killed silo: the watch must still have seen every change.
        var expectedWatched = acknowledged.Where(a => a.Value.Namespace == "load-0").Select(a => a.Key).ToList();
        // Default feed expiry (renewal every 40 s): only the renewal on the silo's death can make this in time.
        await Timeouts.Until(() => Task.FromResult(expectedWatched.All(watched.ContainsKey)), TimeSpan.FromSeconds(20),
            "the watch on a survivor seeing every acknowledged change in load-0");
        await stopWatch.CancelAsync();
        await watch;

        // Everything down, Redis killed outright, everything back up.
        _cluster.StopSilos();
        _cluster.Redis.Kill();
        await _cluster.Redis.Start();
        await _cluster.StartSilos(3);
        foreach (var silo in _cluster.Silos)
        {
            await VerifyAll(silo, acknowledged);
        }
    }

    private async Task VerifyAll(SiloProcess silo, IReadOnlyDictionary<string, (string Namespace, int Weight)> acknowledged)
    {
        var missing = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pair, cancellationToken) =>
        {
            var (name, (ns, weight)) = (pair.Key, pair.Value);
            ConfigResource? resource = null;
            for (var attempt = 0; attempt < 5 && resource is null; attempt++)
            {
                try
                {
                    resource = await silo.Client.GetAsync(new GetRequest { Kind = "VirtualService", Namespace = ns, Name = name }, deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: cancellationToken);
                }
                catch (RpcException exception) when (exception.StatusCode != StatusCode.NotFound)
                {
                    await Task.Delay(500, cancellationToken);
                }
                catch (RpcException)
                {
                    break;
                }
            }
            var stored = resource?.Spec.Fields["http"].ListValue.Values[0].StructValue.Fields["route"].ListValue.Values[0].StructValue.Fields["weight"].NumberValue;
            if (stored != weight) missing.Add($"{ns}/{name}: expected weight {weight}, found {(resource is null ? "nothing" : stored)}");
        });
        Assert.True(missing.IsEmpty, $"{missing.Count} acknowledged applies not readable through {silo.Name}:\n{string.Join('\n', missing.Take(20))}");

        for (var n = 0; n < Namespaces; n++)
        {
            var ns = $"load-{n}";
            var listed = (await silo.Client.ListAsync(new ListRequest { Kind = "vs", Namespace = ns })).Items.Select(i => i.Metadata.Name).ToHashSet();
            var absent = acknowledged.Where(a => a.Value.Namespace == ns && !listed.Contains(a.Key)).Select(a => a.Key).ToList();
            Assert.True(absent.Count == 0, $"listing {ns} through {silo.Name} misses {absent.Count}: {string.Join(", ", absent.Take(10))}");
        }
        output.WriteLine($"{silo.Name}: all {acknowledged.Count} acknowledged applies readable and listed");
    }

    private static async Task Watch(SiloProcess silo, string ns, ConcurrentDictionary<string, byte> seen, TaskCompletionSource subscribed, CancellationToken cancellationToken)
    {
        try
        {
            using var call = silo.Client.Watch(new WatchRequest { Kind = "vs", Namespace = ns }, cancellationToken: cancellationToken);
            await call.ResponseHeadersAsync;
            subscribed.TrySetResult();
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                seen[call.ResponseStream.Current.Resource.Metadata.Name] = 0;
            }
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled) { }
        catch (OperationCanceledException) { }
        catch (Exception exception)
        {
            subscribed.TrySetException(exception);
            throw;
        }
    }

    public void Dispose() => _cluster.Dispose();
}
