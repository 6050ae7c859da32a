using System.Diagnostics;
using Envoy.Service.Discovery.V3;
using Grpc.Net.Client;
using Mesh.Api.V1;
using Mesh.Bench.XdsLoad;

// xDS fan-out and convergence: N simulated proxyless clients over a mesh of S services; one change to a service
// every client watches; how long until every client has it (and ACKed: clients ACK on receipt), how many bytes,
// how much silo CPU and memory. See bench/README.md.
var options = Options.Parse(args);
var api = new ConfigService.ConfigServiceClient(GrpcChannel.ForAddress(options.Api));
if (options.Setup)
{
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
using var stop = new CancellationTokenSource();
var streams = Enumerable.Range(0, options.Streams)
    .Select(i => new ProxyStream(new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channels[i % channels.Count]), i, BenchMesh.Host(i % options.Services), options.Delta))
    .ToList();

var (cpuIdle, rssIdle) = SiloProbe.Sample(options.SiloPids);
var connect = Stopwatch.StartNew();
var running = streams.Select(s => Task.Run(() => s.Run(stop.Token))).ToList();
var synced = Task.WhenAll(streams.Select(s => s.Synced));
if (await Task.WhenAny(synced, Task.Delay(TimeSpan.FromMinutes(5))) != synced) throw new TimeoutException("the streams did not all sync within 5 minutes");
await synced;
var syncTime = connect.Elapsed;
var (cpuSynced, rssSynced) = SiloProbe.Sample(options.SiloPids);
var bytesBefore = streams.Sum(s => s.Bytes);
await Task.Delay(2000);

var started = Stopwatch.GetTimestamp();
foreach (var stream in streams) stream.StartChange(started);
await api.ApplyAsync(new ApplyRequest { Manifest = BenchMesh.Service(BenchMesh.SharedHost, "shared", 50) });
var converged = Task.WhenAll(streams.Select(s => s.Converged));
if (await Task.WhenAny(converged, Task.Delay(TimeSpan.FromMinutes(2))) != converged)
{
    throw new TimeoutException($"{streams.Count(s => !s.Converged.IsCompleted)} of {streams.Count} streams never saw the change");
}
var times = (await converged).Select(t => t.TotalMilliseconds).Order().ToArray();
await Task.Delay(500);
var (cpuAfter, rssAfter) = SiloProbe.Sample(options.SiloPids);
var changeBytes = streams.Sum(s => s.Bytes) - bytesBefore;

double P(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
Console.WriteLine("| setup | protocol | streams | services | initial sync s | convergence p50 ms | p99 ms | max ms | bytes pushed for the change | silo CPU s (sync / change) | silo RSS MB (idle / synced / after) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
Console.WriteLine($"| {options.Label} | {(options.Delta ? "delta" : "SotW")} | {options.Streams} | {options.Services} | {syncTime.TotalSeconds:0.0} | {P(0.5):0} | {P(0.99):0} | {times[^1]:0} | {changeBytes:N0} | {cpuSynced - cpuIdle:0.0} / {cpuAfter - cpuSynced:0.0} | {rssIdle} / {rssSynced} / {rssAfter} |");
await stop.CancelAsync();
await Task.WhenAll(running);
return 0;
