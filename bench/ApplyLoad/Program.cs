using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Api.V1;

// Load harness for the management API: concurrent applies (each a new VirtualService, so every one is a durable
// write), then gets and per-namespace lists, spread over the given servers. Prints throughput and latency
// percentiles as a markdown table row per operation.
var servers = new List<string>();
int count = 5000, concurrency = 16, namespaces = 10;
var label = "run";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--server": servers.Add(args[++i]); break;
        case "--count": count = int.Parse(args[++i]); break;
        case "--concurrency": concurrency = int.Parse(args[++i]); break;
        case "--namespaces": namespaces = int.Parse(args[++i]); break;
        case "--label": label = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; use --server URL (repeat) --count N --concurrency N --namespaces N --label TEXT");
            return 2;
    }
}
if (servers.Count == 0) servers.Add("http://127.0.0.1:15020");

var clients = servers.Select(s => new ConfigService.ConfigServiceClient(GrpcChannel.ForAddress(s))).ToArray();
var run = Guid.NewGuid().ToString("N")[..6];

string Manifest(int i) => $$$"""
    {"apiVersion":"networking.istio.io/v1","kind":"VirtualService",
     "metadata":{"name":"vs-{{{run}}}-{{{i}}}","namespace":"bench-{{{i % namespaces}}}"},
     "spec":{"hosts":["svc-{{{i}}}"],"http":[{"route":[
       {"destination":{"host":"svc-{{{i}}}","subset":"v1"},"weight":90},
       {"destination":{"host":"svc-{{{i}}}","subset":"v2"},"weight":10}],"timeout":"1.5s"}]}}
    """;

async Task<(double Seconds, double[] Latencies, int Errors)> Measure(int operations, Func<ConfigService.ConfigServiceClient, int, Task> operation)
{
    var latencies = new double[operations];
    var errors = 0;
    var next = -1;
    var total = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < operations)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await operation(clients[i % clients.Length], i);
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref errors);
            }
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    })));
    Array.Sort(latencies);
    return (total.Elapsed.TotalSeconds, latencies, errors);
}

void Report(string operation, int operations, (double Seconds, double[] Latencies, int Errors) result)
{
    double P(double q) => result.Latencies[Math.Min(result.Latencies.Length - 1, (int)(q * result.Latencies.Length))];
    Console.WriteLine($"| {label} | {operation} | {operations} | {concurrency} | {operations / result.Seconds:0} | {P(0.5):0.0} | {P(0.95):0.0} | {P(0.99):0.0} | {result.Errors} |");
}

await Measure(Math.Min(200, count), (client, i) => client.ApplyAsync(new ApplyRequest { Manifest = Manifest(-1 - i) }).ResponseAsync);
Console.WriteLine("| setup | operation | count | concurrency | ops/s | p50 ms | p95 ms | p99 ms | errors |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
Report("apply (create)", count, await Measure(count, (client, i) => client.ApplyAsync(new ApplyRequest { Manifest = Manifest(i) }).ResponseAsync));
Report("get", count, await Measure(count, (client, i) => client.GetAsync(new GetRequest { Kind = "vs", Namespace = $"bench-{i % namespaces}", Name = $"vs-{run}-{i}" }).ResponseAsync));
var lists = Math.Max(namespaces * 5, 50);
Report($"list (~{count / namespaces} per ns)", lists, await Measure(lists, (client, i) => client.ListAsync(new ListRequest { Kind = "vs", Namespace = $"bench-{i % namespaces}" }).ResponseAsync));
return 0;
