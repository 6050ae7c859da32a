using System.Diagnostics;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>Three silos on Redis; 20 VirtualServices rewritten with random weights by three writers through different
/// silos while silos are SIGKILLed and restarted, some kills landing while Redis is stalled (SIGSTOP/SIGCONT) and once
/// while Redis itself restarts. At the end no acknowledged write is lost, and every silo serves every service as stored,
/// to fresh xDS streams and to the streams that lived through the faults. <c>MESH_CHAOS_SECONDS</c> lengthens the run
/// (the soak in bench/ uses it) and <c>MESH_CHAOS_REPORT</c> names a file for the numbers.</summary>
public sealed class ChaosTests(ITestOutputHelper output) : IDisposable
{
    private const string Namespace = "chaos";
    private const int Services = 20;
    private const int Writers = 3;
    private readonly RedisCluster _cluster = new();
    private readonly List<RouteWeights> _followers = [];

    private static string Host(int service) => $"s{service}.{Namespace}.svc.cluster.local";

    private static readonly IReadOnlyList<string> Routes = [.. Enumerable.Range(0, Services).Select(s => RouteWeights.RouteName(Host(s), 9080))];

    [Fact]
    public async Task SilosKilledDuringRedisStalls_NoAcknowledgedWriteLost_EveryServiceConverges()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MESH_CHAOS_SECONDS"), out var s) ? s : 40;
        await _cluster.Redis.Start();
        await _cluster.StartSilos(3);
        var silos = _cluster.Silos;
        await silos[0].Client.ApplyAsync(new ApplyRequest { Manifest = string.Join("\n---\n", Enumerable.Range(0, Services).Select(i => Service(i, 50))) });
        for (var i = 0; i < silos.Count; i++) _followers.Add(RouteWeights.Follow(silos[i].XdsPort, Routes));

        var ledger = new WriteLedger();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Write(w, ledger, stop.Token)).ToList();
        var lastFault = await Faults(TimeSpan.FromSeconds(seconds));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var (stale, converged) = await Converge(ledger, TimeSpan.FromSeconds(60));
        var report = $"writes acknowledged {ledger.Acknowledged}, failed {ledger.Failed} ({ledger.FailedDuringDeath} while a silo was dying), " +
            $"lost {ledger.Lost(await Stored())}, services stale after quiescence {stale.Count}, converged {converged.TotalMilliseconds:F0} ms after the last fault " +
            $"({(DateTime.UtcNow - lastFault).TotalSeconds:F0} s ago)";
        output.WriteLine(report);
        foreach (var failure in ledger.Failures.Take(10)) output.WriteLine($"failed apply: {failure}");
        if (Environment.GetEnvironmentVariable("MESH_CHAOS_REPORT") is { Length: > 0 } file) await File.AppendAllTextAsync(file, report + "\n");

        Assert.True(ledger.Acknowledged > 50, $"too few writes to mean anything: {report}");
        Assert.Equal(0, ledger.Lost(await Stored()));
        Assert.True(stale.Count == 0, $"{report}\nstale: {string.Join("; ", stale)}");
        Assert.DoesNotContain(ledger.Failures, f => f.Contains("Exception was thrown by handler", StringComparison.Ordinal));
    }

    /// <summary>Kills one silo at a time and restarts it, alternating a plain kill with a kill during a one-second
    /// Redis stall; one cycle restarts Redis itself. Returns when the last fault ended.</summary>
    private async Task<DateTime> Faults(TimeSpan duration)
    {
        var random = new Random(7);
        var end = DateTime.UtcNow + duration;
        var cycle = 0;
        var lastFault = DateTime.UtcNow;
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            var victim = random.Next(_cluster.Silos.Count);
            var silo = _cluster.Silos[victim];
            if (cycle % 4 == 3)
            {
                output.WriteLine($"{Elapsed()} restarting redis");
                _cluster.Redis.Kill();
                await _cluster.Redis.Start();
                lastFault = DateTime.UtcNow;
                cycle++;
                continue;
            }
            var stall = cycle % 2 == 1;
            if (stall)
            {
                output.WriteLine($"{Elapsed()} redis stalled, killing {silo.Name}");
                _cluster.Redis.Stall();
                await Task.Delay(300);
                silo.Kill();
                await Task.Delay(700);
                _cluster.Redis.Resume();
            }
            else
            {
                output.WriteLine($"{Elapsed()} killing {silo.Name}");
                silo.Kill();
            }
            _dying = DateTime.UtcNow;
            lock (_down) _down.Add(victim);
            await Task.Delay(TimeSpan.FromSeconds(3));
            silo.Start();
            await silo.WaitReady(TimeSpan.FromSeconds(90));
            lock (_down) _down.Remove(victim);
            await _followers[victim].DisposeAsync();
            _followers[victim] = RouteWeights.Follow(silo.XdsPort, Routes);
            output.WriteLine($"{Elapsed()} {silo.Name} back");
            lastFault = DateTime.UtcNow;
            cycle++;
        }
        return lastFault;
    }

    private DateTime _dying = DateTime.MinValue;
    /// <summary>Silos killed and not back yet: writers use the others, as a Service in front of the silos would.</summary>
    private readonly HashSet<int> _down = [];

    private List<SiloProcess> Live()
    {
        lock (_down) return [.. _cluster.Silos.Where((_, i) => !_down.Contains(i))];
    }
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private string Elapsed() => $"[{_clock.Elapsed.TotalSeconds:F1} s]";

    private async Task Write(int writer, WriteLedger ledger, CancellationToken stop)
    {
        var random = new Random(writer);
        while (!stop.IsCancellationRequested)
        {
            var service = random.Next(Services);
            var weight = random.Next(1, 100);
            var live = Live();
            var silo = live[(writer + ledger.Attempts) % live.Count];
            try
            {
                var response = await silo.Client.ApplyAsync(new ApplyRequest { Manifest = VirtualService(service, weight) },
                    deadline: DateTime.UtcNow.AddSeconds(30));
                ledger.Acknowledge(service, long.Parse(response.Results[0].ResourceVersion), weight);
            }
            catch (RpcException exception)
            {
                ledger.Fail($"{silo.Name}: {exception.Status.StatusCode}: {exception.Status.Detail}", DateTime.UtcNow - _dying < TimeSpan.FromSeconds(15));
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>Polls until every live silo serves every service as stored, to fresh and long-lived streams.</summary>
    private async Task<(List<string> Stale, TimeSpan Converged)> Converge(WriteLedger ledger, TimeSpan limit)
    {
        var started = Stopwatch.StartNew();
        List<string> stale = [];
        while (started.Elapsed < limit)
        {
            stale = await Stale();
            if (stale.Count == 0) return (stale, started.Elapsed);
            await Task.Delay(500);
        }
        return (stale, started.Elapsed);
    }

    private async Task<List<string>> Stale()
    {
        var stored = await Stored();
        var stale = new List<string>();
        for (var i = 0; i < _cluster.Silos.Count; i++)
        {
            var fresh = await RouteWeights.Fetch(_cluster.Silos[i].XdsPort, Routes, TimeSpan.FromSeconds(10));
            Dictionary<string, int> followed;
            lock (_followers[i].Latest) followed = new(_followers[i].Latest);
            for (var service = 0; service < Services; service++)
            {
                var expected = stored[service].Weight;
                if (fresh.GetValueOrDefault(Routes[service]) != expected) stale.Add($"{_cluster.Silos[i].Name} fresh s{service}: {fresh.GetValueOrDefault(Routes[service])} != {expected}");
                if (followed.GetValueOrDefault(Routes[service]) != expected) stale.Add($"{_cluster.Silos[i].Name} long-lived s{service}: {followed.GetValueOrDefault(Routes[service])} != {expected}");
            }
        }
        return stale;
    }

    /// <summary>Each service's stored VirtualService: its resourceVersion and the weight of v1.</summary>
    private async Task<List<(long Version, int Weight)>> Stored()
    {
        var stored = new List<(long, int)>();
        for (var service = 0; service < Services; service++)
        {
            var request = new GetRequest { Kind = "VirtualService", Namespace = Namespace, Name = $"s{service}" };
            var resource = await _cluster.Silos[service % _cluster.Silos.Count].Client.GetAsync(request, new CallOptions().WithWaitForReady());
            var route = resource.Spec.Fields["http"].ListValue.Values[0].StructValue.Fields["route"].ListValue.Values[0].StructValue;
            stored.Add((long.Parse(resource.Metadata.ResourceVersion), (int)route.Fields["weight"].NumberValue));
        }
        return stored;
    }

    private static string Service(int service, int weight) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: s{{{service}}}, namespace: {{{Namespace}}}}
        spec:
          hosts: [{{{Host(service)}}}]
          location: MESH_INTERNAL
          ports: [{number: 9080, name: http, protocol: HTTP}]
          resolution: STATIC
          endpoints:
          - {address: 127.0.0.1, ports: {http: 18080}, labels: {version: v1}}
          - {address: 127.0.0.2, ports: {http: 18080}, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: s{{{service}}}, namespace: {{{Namespace}}}}
        spec:
          host: s{{{service}}}
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---
        {{{VirtualService(service, weight)}}}
        """;

    private static string VirtualService(int service, int weight) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: s{{{service}}}, namespace: {{{Namespace}}}}
        spec:
          hosts: [s{{{service}}}]
          http:
          - route:
            - {destination: {host: s{{{service}}}, subset: v1}, weight: {{{weight}}} }
            - {destination: {host: s{{{service}}}, subset: v2}, weight: {{{100 - weight}}} }
        """;

    public void Dispose()
    {
        foreach (var follower in _followers) follower.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        _cluster.Dispose();
    }

    /// <summary>What the writers were told: the newest acknowledged version of each service, and every failure.</summary>
    private sealed class WriteLedger
    {
        private readonly Dictionary<int, (long Version, int Weight)> _acknowledged = [];
        private readonly List<string> _failures = [];
        private int _attempts;

        public int Attempts => _attempts;
        public int Acknowledged { get; private set; }
        public int Failed { get; private set; }
        public int FailedDuringDeath { get; private set; }

        public IReadOnlyList<string> Failures { get { lock (_failures) return [.. _failures]; } }

        public void Acknowledge(int service, long version, int weight)
        {
            Interlocked.Increment(ref _attempts);
            lock (_acknowledged)
            {
                Acknowledged++;
                if (!_acknowledged.TryGetValue(service, out var known) || known.Version < version) _acknowledged[service] = (version, weight);
            }
        }

        public void Fail(string message, bool duringDeath)
        {
            Interlocked.Increment(ref _attempts);
            lock (_failures)
            {
                Failed++;
                if (duringDeath) FailedDuringDeath++;
                _failures.Add(message);
            }
        }

        /// <summary>Acknowledged writes the store no longer has: a service whose stored version is older than the newest
        /// acknowledged one, or the same version with other content.</summary>
        public int Lost(IReadOnlyList<(long Version, int Weight)> stored)
        {
            lock (_acknowledged)
            {
                return _acknowledged.Count(pair => stored[pair.Key].Version < pair.Value.Version
                    || (stored[pair.Key].Version == pair.Value.Version && stored[pair.Key].Weight != pair.Value.Weight));
            }
        }
    }
}
