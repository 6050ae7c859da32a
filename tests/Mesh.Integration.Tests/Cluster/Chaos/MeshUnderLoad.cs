using System.Diagnostics;
using Grpc.Core;
using Mesh.Api.Client;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Xds;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster.Chaos;

/// <summary>Three silos on Redis under what a mesh lives with: 20 services whose VirtualServices three writers rewrite
/// with random weights through different silos, a grpc-js proxyless client and a pair of sidecars carrying traffic, and
/// xDS streams following every service on every silo. A test brings faults (<see cref="Kill"/>, <see cref="Stop"/>,
/// <see cref="Back"/>, <see cref="Redis"/>), then <see cref="Finish"/> waits for quiescence and says what was lost.</summary>
/// <param name="firstBuild">Another build's <c>Mesh.Silo.dll</c> for the silos to start as (a rolling upgrade); this tree's by default.</param>
public sealed class MeshUnderLoad(ITestOutputHelper output, string? firstBuild = null) : IDisposable
{
    private const string Namespace = "chaos";
    private const int Services = 20;
    private const int Writers = 3;
    private static readonly IReadOnlyList<string> Routes = [.. Enumerable.Range(0, Services).Select(s => RouteWeights.RouteName(Host(s), 9080))];

    private readonly RedisCluster _cluster = new();
    private readonly WorkDir _dir = new("chaos");
    private readonly List<RouteWeights> _followers = [];
    private readonly List<IDisposable> _owned = [];
    private readonly HashSet<int> _down = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly WriteLedger _ledger = new();
    private readonly CancellationTokenSource _stopWriting = new();
    private List<Task> _writers = [];
    private XdsClientProcess? _client;
    private SidecarTraffic? _sidecars;
    private DateTime _lastFault = DateTime.UtcNow;
    private DateTime _dying = DateTime.MinValue;

    public RedisServer Redis => _cluster.Redis;

    public IReadOnlyList<SiloProcess> Silos => _cluster.Silos;

    public async Task Start()
    {
        await _cluster.Redis.Start();
        await _cluster.StartSilos(3, siloDll: firstBuild);
        await Silos[0].Client.ApplyAsync(new ApplyRequest { Manifest = string.Join("\n---\n", Enumerable.Range(0, Services).Select(i => Service(i, 50))) });
        for (var i = 0; i < Silos.Count; i++) _followers.Add(RouteWeights.Follow(Silos[i].XdsPort, Routes));
        _client = await ProxylessTraffic();
        _sidecars = Own(await SidecarTraffic.Start(Silos, _dir.Path));
        _writers = [.. Enumerable.Range(0, Writers).Select(Write)];
    }

    public void Log(string what) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds:F1} s] {what}");

    /// <summary>SIGKILL; writers move to the other silos, as a Service in front of them would.</summary>
    public void Kill(int silo)
    {
        Down(silo);
        Log($"killing {Silos[silo].Name}");
        Silos[silo].Kill();
    }

    /// <summary>SIGTERM and wait for a graceful exit, after taking the silo out of the writers' rotation (as Kubernetes
    /// takes a terminating pod out of its Service).</summary>
    public void Stop(int silo)
    {
        Down(silo);
        Log($"stopping {Silos[silo].Name}");
        Silos[silo].Stop();
    }

    /// <summary>Starts a killed or stopped silo again, as this tree's build, and follows its xDS once ready.</summary>
    public async Task Back(int silo)
    {
        Silos[silo].Start();
        await Silos[silo].WaitReady(TimeSpan.FromSeconds(90));
        await _followers[silo].DisposeAsync();
        _followers[silo] = RouteWeights.Follow(Silos[silo].XdsPort, Routes);
        lock (_down) _down.Remove(silo);
        _lastFault = DateTime.UtcNow;
        Log($"{Silos[silo].Name} back");
    }

    /// <summary>A fault that does not take a silo down (a Redis stall or restart) ended now.</summary>
    public void FaultEnded() => _lastFault = DateTime.UtcNow;

    /// <summary>Stops the writers, waits up to a minute for every silo to serve every service as stored, stops the
    /// traffic and says what happened.</summary>
    public async Task<LoadOutcome> Finish(string what)
    {
        await _stopWriting.CancelAsync();
        await Task.WhenAll(_writers);
        var quiet = DateTime.UtcNow;
        var stale = await Converge(TimeSpan.FromSeconds(60));
        var converged = DateTime.UtcNow;
        var calls = await _client!.StopCallingAsync();
        var requests = await _sidecars!.Stop();
        var outcome = new LoadOutcome(_ledger, _ledger.Lost(await Stored()), stale, converged - _lastFault, converged - quiet, calls, requests, await Swept());
        var report = $"{DateTime.UtcNow:u} {what}: {outcome}";
        output.WriteLine(report);
        foreach (var failure in _ledger.Failures.Take(10)) output.WriteLine($"failed apply: {failure}");
        if (Environment.GetEnvironmentVariable("MESH_CHAOS_REPORT") is { Length: > 0 } file) await File.AppendAllTextAsync(file, report + "\n");
        return outcome;
    }

    private void Down(int silo)
    {
        lock (_down) _down.Add(silo);
        _dying = DateTime.UtcNow;
    }

    private List<SiloProcess> Live()
    {
        lock (_down) return [.. Silos.Where((_, i) => !_down.Contains(i))];
    }

    private async Task Write(int writer)
    {
        var random = new Random(writer);
        while (!_stopWriting.IsCancellationRequested)
        {
            var service = random.Next(Services);
            var weight = random.Next(1, 100);
            var live = Live();
            var silo = live[(writer + _ledger.Attempts) % live.Count];
            try
            {
                var response = await Apply(silo, VirtualService(service, weight));
                _ledger.Acknowledge(service, long.Parse(response.Results[0].ResourceVersion), weight);
            }
            catch (RpcException exception)
            {
                _ledger.Fail($"{silo.Name}: {exception.Status.StatusCode}: {exception.Status.Detail}", DateTime.UtcNow - _dying < TimeSpan.FromSeconds(15));
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>An apply as meshctl makes it through a Service in front of the silos: a call cut in transport (the silo
    /// went away under it, <see cref="ApiRetry"/>) is sent once more, and the Service would send it to a live silo.</summary>
    private async Task<ApplyResponse> Apply(SiloProcess silo, string manifest)
    {
        try
        {
            return await ApplyTo(silo, manifest);
        }
        catch (RpcException exception) when (ApiRetry.IsTransportFailure(exception) && Live().FirstOrDefault(s => s != silo) is { } other)
        {
            Log($"{silo.Name}: {exception.Status.StatusCode} in transport ({exception.Status.DebugException?.Message}); sent again to {other.Name}");
            return await ApplyTo(other, manifest);
        }
    }

    // Wait for ready: a silo just back may still have its channel in reconnect back-off.
    private static async Task<ApplyResponse> ApplyTo(SiloProcess silo, string manifest) =>
        await silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest }, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)).WithWaitForReady());

    /// <summary>Bookinfo's reviews on three real backends, and a grpc-js proxyless client calling it without pause
    /// through one address in front of all silos, as a Kubernetes Service would be.</summary>
    private async Task<XdsClientProcess> ProxylessTraffic()
    {
        var backends = new Dictionary<string, int>();
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            backends[version] = Own(await BackendProcess.StartAsync(version, _dir.Path)).Port;
        }
        await Silos[0].Client.ApplyAsync(new ApplyRequest { Manifest = XdsMesh.Manifest(backends) });
        var service = Own(new TcpForwarder([.. Silos.Select(s => s.XdsPort)]));
        var client = Own(await XdsClientProcess.StartAsync(XdsClientKind.GrpcJs, XdsBootstrap.ForPorts(service.Port), _dir.Path));
        // The first calls wait for xDS; the run starts once a whole batch succeeds.
        await Timeouts.Until(async () => (await client.CallsAsync(50)).Failed == 0, TimeSpan.FromSeconds(60), "the proxyless client's calls succeeding");
        await client.StartCallingAsync();
        return client;
    }

    /// <summary>Polls until every silo serves every service as stored, to fresh and long-lived streams.</summary>
    private async Task<List<string>> Converge(TimeSpan limit)
    {
        var started = Stopwatch.StartNew();
        List<string> stale;
        do
        {
            stale = await Stale();
            if (stale.Count == 0) break;
            await Task.Delay(500);
        }
        while (started.Elapsed < limit);
        return stale;
    }

    private async Task<List<string>> Stale()
    {
        var stored = await Stored();
        var stale = new List<string>();
        for (var i = 0; i < Silos.Count; i++)
        {
            var fresh = await RouteWeights.Fetch(Silos[i].XdsPort, Routes, TimeSpan.FromSeconds(10));
            var followed = _followers[i].Snapshot();
            for (var service = 0; service < Services; service++)
            {
                var expected = stored[service].Weight;
                if (fresh.GetValueOrDefault(Routes[service]) != expected) stale.Add($"{Silos[i].Name} fresh s{service}: {fresh.GetValueOrDefault(Routes[service])} != {expected}");
                if (followed.GetValueOrDefault(Routes[service]) != expected) stale.Add($"{Silos[i].Name} long-lived s{service}: {followed.GetValueOrDefault(Routes[service])} != {expected}");
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
            var resource = await Silos[service % Silos.Count].Client.GetAsync(request, new CallOptions().WithWaitForReady());
            var route = resource.Spec.Fields["http"].ListValue.Values[0].StructValue.Fields["route"].ListValue.Values[0].StructValue;
            stored.Add((long.Parse(resource.Metadata.ResourceVersion), (int)route.Fields["weight"].NumberValue));
        }
        return stored;
    }

    /// <summary>mesh_reconcile_swept_total summed over the silos running now (a silo restarted during the run starts
    /// from zero, so this is a lower bound).</summary>
    private async Task<long> Swept()
    {
        long swept = 0;
        foreach (var silo in Silos)
        {
            foreach (var line in (await silo.Metrics()).Split('\n').Where(l => l.StartsWith("mesh_reconcile_swept_total", StringComparison.Ordinal)))
            {
                swept += (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return swept;
    }

    private static string Host(int service) => $"s{service}.{Namespace}.svc.cluster.local";

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

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public void Dispose()
    {
        _stopWriting.Cancel();
        foreach (var follower in _followers) follower.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        foreach (var item in Enumerable.Reverse(_owned)) item.Dispose();
        _cluster.Dispose();
        _dir.Dispose();
        _stopWriting.Dispose();
    }
}

/// <summary>What a run under load ended with.</summary>
public sealed record LoadOutcome(
    WriteLedger Writes, int Lost, IReadOnlyList<string> Stale, TimeSpan ConvergedAfterLastFault, TimeSpan ConvergedAfterLastWrite,
    CallCounts Calls, (int Total, int Failed, IReadOnlyList<string> Failures) Requests, long Swept)
{
    public override string ToString() =>
        $"writes acknowledged {Writes.Acknowledged}, failed {Writes.Failed} ({Writes.FailedDuringDeath} within 15 s of a silo going down), lost {Lost}, " +
        $"services stale after quiescence {Stale.Count}, converged {ConvergedAfterLastFault.TotalSeconds:F1} s after the last fault " +
        $"({ConvergedAfterLastWrite.TotalSeconds:F1} s after the last write); proxyless calls {Calls.Total}, failed {Calls.Failed}; " +
        $"requests through sidecars {Requests.Total}, failed {Requests.Failed}; derived state repaired by the sweep (silos at the end) {Swept}";

    /// <summary>The assertions every run under faults must pass.</summary>
    public void AssertNothingLost()
    {
        Assert.True(Writes.Acknowledged > 50, $"too few writes to mean anything: {this}");
        Assert.True(Lost == 0, $"acknowledged writes lost: {this}");
        Assert.True(Stale.Count == 0, $"{this}\nstale: {string.Join("; ", Stale.Take(20))}");
        Assert.DoesNotContain(Writes.Failures, f => f.Contains("Exception was thrown by handler", StringComparison.Ordinal));
        Assert.True(Calls.Failed == 0 && Calls.Succeeded > 100, $"proxyless calls: {Calls}");
        Assert.True(Requests.Failed == 0 && Requests.Total > 100,
            $"requests through sidecars: {Requests.Failed} of {Requests.Total} failed: {string.Join("; ", Requests.Failures.Take(5))}");
    }
}
