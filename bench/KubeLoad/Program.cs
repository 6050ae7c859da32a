using System.Diagnostics;
using System.Globalization;
using Envoy.Service.Discovery.V3;
using Grpc.Net.Client;
using Mesh.Api.V1;
using Mesh.Bench.KubeLoad;
using Mesh.Bench.XdsLoad;
using Mesh.Kubernetes.Fake;

// Kubernetes propagation: the fake API server, one embedded silo watching it, one xDS client on CDS/EDS of every
// service. Each change is written to the API server, and the same change through Mesh's management API as the
// reference; both are timed to the xDS client. See bench/README.md.
var options = Options.Parse(args);
Console.Error.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
await using var apiServer = await FakeApiServer.Start();
using var silo = SiloHost.Start(options, apiServer.Url);
await silo.WaitReady();
Console.Error.WriteLine($"silo {silo.Pid} ready; log {silo.LogPath}");
var probe = new SiloProbe([silo.Pid], [silo.Monitoring]);
var idle = (await probe.Sample())[0];

var kube = new KubePath(apiServer.Url);
var reference = new ApiPath(new ConfigService.ConfigServiceClient(GrpcChannel.ForAddress(silo.Api)));
IMeshPath[] paths = [kube, reference];
var watch = new ClusterWatch();
using var stop = new CancellationTokenSource();
var xds = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(GrpcChannel.ForAddress(silo.Xds));
var hosts = paths.SelectMany(p => Enumerable.Range(0, options.Services).Select(p.Host)).ToList();
var watching = Task.Run(() => watch.Run(xds, hosts, stop.Token));

foreach (var path in paths)
{
    var seeding = Stopwatch.StartNew();
    await path.Seed(options.Services);
    var written = seeding.Elapsed;
    var synced = Enumerable.Range(0, options.Services).SelectMany(i => new[]
    {
        watch.UntilEndpoints(path.Host(i), a => a.Count == 2),
        watch.UntilMaxConnections(path.Host(i), MeshShape.InitialMaxConnections),
    });
    await Task.WhenAll(synced).WaitAsync(TimeSpan.FromMinutes(10));
    Console.Error.WriteLine($"{path.Name}: {options.Services} services written in {written.TotalSeconds:0.0} s, all on the xDS client after {seeding.Elapsed.TotalSeconds:0.0} s");
}

var seeded = (await probe.Sample())[0];
apiServer.Requests.Reset();
var runner = new ChangeRunner(watch, paths, options.Changes);
var measuring = Stopwatch.StartNew();
var samples = await runner.Sequential();
samples.AddRange(await runner.Burst());
await Task.Delay(1000); // the last changes' CPU
var after = (await probe.Sample())[0];
var requests = apiServer.Requests.All;

Console.WriteLine(MarkdownReport.Header);
foreach (var row in MarkdownReport.Rows(samples, kube.Name, reference.Name)) Console.WriteLine(row);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"\nSilo: RSS {idle.RssMb:0} MB idle, {seeded.RssMb:0} MB seeded, {after.RssMb:0} MB after; CPU {seeded.CpuSeconds - idle.CpuSeconds:0.0} s seeding, {after.CpuSeconds - seeded.CpuSeconds:0.0} s over {measuring.Elapsed.TotalSeconds:0} s of changes ({samples.Count} changes)."));
Console.WriteLine($"API server requests during the changes: {requests.Values.Sum()} ({string.Join(", ", requests.GroupBy(r => r.Key.Verb).OrderByDescending(g => g.Sum(r => r.Value)).Select(g => $"{g.Key} {g.Sum(r => r.Value)}"))}); by resource: {string.Join(", ", requests.OrderByDescending(r => r.Value).Take(8).Select(r => $"{r.Key.Verb} {r.Key.Resource} {r.Value}"))}");
if (options.Samples is { } file)
{
    await File.WriteAllLinesAsync(file, samples.Select(s => string.Create(CultureInfo.InvariantCulture,
        $"{s.Change},{s.Mode},{s.Path},{s.Service},{s.WriteMs:0.00},{s.AfterWriteMs:0.00}")).Prepend("change,mode,path,service,write_ms,after_write_ms"));
}
await stop.CancelAsync();
await watching;
return 0;
