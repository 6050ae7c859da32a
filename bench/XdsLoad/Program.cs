using System.Diagnostics;
using System.Text.Json;
using Envoy.Service.Discovery.V3;
using Grpc.Net.Client;
using Mesh.Api.V1;
using Mesh.Bench.XdsLoad;

// xDS fan-out and convergence: N simulated proxyless clients (and M sidecar-shaped ones) over a mesh of S services;
// a lone change to a service every client watches, then a burst of changes; how long until every client holds it
// (clients ACK on receipt), how many bytes, how much CPU and memory on each silo. See bench/README.md.
var options = Options.Parse(args);
var api = new ConfigService.ConfigServiceClient(GrpcChannel.ForAddress(options.Api));
var probe = new SiloProbe(options.SiloPids, options.Monitoring);
SiloSample[]? empty = null;
if (options.Setup)
{
    empty = await probe.Sample();
    var setup = Stopwatch.StartNew();
    await BenchMesh.Apply(api, options.Services);
    Console.Error.WriteLine($"applied {options.Services + 1} services (3 resources each) in {setup.Elapsed.TotalSeconds:0.0} s");
}
await api.ApplyAsync(new ApplyRequest { Manifest = BenchMesh.Service(BenchMesh.SharedHost, "shared", 90) });

var channels = options.Xds.Select(address => GrpcChannel.ForAddress($"http://{address}", new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests },
    MaxReceiveMessageSize = 64 * 1024 * 1024,
})).ToList();
AggregatedDiscoveryService.AggregatedDiscoveryServiceClient Client(int i) => new(channels[i % channels.Count]);
using var stop = new CancellationTokenSource();
var run = Guid.NewGuid().ToString("N")[..6]; // sidecars register fresh WorkloadEntries in every run
var streams = Enumerable.Range(0, options.Streams)
    .Select(BenchStream (i) => new ProxyStream(Client(i), i, BenchMesh.Host(i % options.Services), options.Delta))
    .Concat(Enumerable.Range(options.Streams, options.Sidecars)
        .Select(BenchStream (i) => new SidecarStream(Client(i), $"sc-{run}-{i}", i, BenchMesh.SidecarHosts(i, options.Services))))
    .ToList();

var idle = await probe.Sample();
var connect = Stopwatch.StartNew();
var running = streams.Select(s => Task.Run(() => s.Run(stop.Token))).ToList();
// A stream the silo failed is counted and left out of the convergence numbers (it is reported, not hidden).
var synced = Task.WhenAll(streams.Select(s => s.Synced.ContinueWith(_ => { }, TaskScheduler.Default)));
if (await Task.WhenAny(synced, Task.Delay(TimeSpan.FromMinutes(10))) != synced) throw new TimeoutException($"{streams.Count(s => !s.Synced.IsCompleted)} of {streams.Count} streams did not sync within 10 minutes");
var failed = streams.Where(s => s.Synced.IsFaulted).ToList();
if (failed.Count > 0) Console.Error.WriteLine($"{failed.Count} of {streams.Count} streams failed, the first with: {failed[0].Synced.Exception!.InnerException!.Message}");
if (failed.Count == streams.Count) return 1;
var live = streams.Except(failed).ToList();
var syncTime = connect.Elapsed;
var afterSync = await probe.Sample();

await Task.Delay(2000);
var lone = await Change([50]);
RunResult.Change? burst = null;
if (options.Burst > 0)
{
    await Task.Delay(2000);
    burst = await Change([.. Enumerable.Range(0, options.Burst).Select(i => 41 + i)]);
}
await Task.Delay(500);
var after = await probe.Sample();

var result = new RunResult
{
    Label = options.Label,
    Date = DateTimeOffset.UtcNow,
    Protocol = options.Delta ? "delta" : "SotW",
    Streams = options.Streams,
    Sidecars = options.Sidecars,
    Services = options.Services,
    Failed = failed.Count,
    SyncSeconds = syncTime.TotalSeconds,
    Lone = lone,
    Burst = burst,
    Silos = [.. idle.Select((s, i) => new RunResult.Silo(empty?[i].RssMb, s.RssMb, afterSync[i].RssMb, after[i].RssMb,
        s.GcHeapMb, afterSync[i].GcHeapMb, after[i].GcHeapMb, afterSync[i].CpuSeconds - s.CpuSeconds))],
};
Console.WriteLine(MarkdownRow.Header);
Console.WriteLine(MarkdownRow.Of(result));
if (options.Json is { } file) await File.AppendAllTextAsync(file, JsonSerializer.Serialize(result) + "\n");
await stop.CancelAsync();
await Task.WhenAll(running);
return 0;

// Applies the shared service with each weight in turn, back to back, and waits for every stream to hold the last.
async Task<RunResult.Change> Change(int[] weights)
{
    var bytesBefore = live.Sum(s => s.Bytes);
    var cpuBefore = await probe.Sample();
    var started = Stopwatch.GetTimestamp();
    var converged = Task.WhenAll(live.Select(s => s.Route.Expect(weights[^1], started)));
    foreach (var weight in weights) await api.ApplyAsync(new ApplyRequest { Manifest = BenchMesh.Service(BenchMesh.SharedHost, "shared", weight) });
    var applied = Stopwatch.GetElapsedTime(started);
    if (await Task.WhenAny(converged, Task.Delay(TimeSpan.FromMinutes(2))) != converged)
    {
        throw new TimeoutException($"{live.Count(s => s.Route.Pushes == 0)} of {live.Count} streams never saw the change");
    }
    var times = (await converged).Select(t => t.TotalMilliseconds).Order().ToArray();
    await Task.Delay(300); // the last writes' CPU
    var cpuAfter = await probe.Sample();
    double P(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
    return new RunResult.Change(weights.Length, P(0.5), P(0.99), times[^1], live.Sum(s => s.Bytes) - bytesBefore,
        live.Average(s => s.Route.Pushes), [.. cpuAfter.Select((s, i) => s.CpuSeconds - cpuBefore[i].CpuSeconds)], applied.TotalMilliseconds);
}
