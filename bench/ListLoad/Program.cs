using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Api.V1;

// List load: stores COUNT VirtualServices over NAMESPACES namespaces (unless --no-apply), then times lists across
// all namespaces: paged at 500 as kubectl pages, unpaged, by label selector, one page; and, as the reference for
// the old path (one grain read per item), a get per item. Prints a markdown row per operation.
var servers = new List<string>();
int count = 10_000, namespaces = 10, repeats = 5;
var apply = true;
var label = "run";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--server": servers.Add(args[++i]); break;
        case "--count": count = int.Parse(args[++i]); break;
        case "--namespaces": namespaces = int.Parse(args[++i]); break;
        case "--repeats": repeats = int.Parse(args[++i]); break;
        case "--no-apply": apply = false; break;
        case "--label": label = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; use --server URL (repeat) --count N --namespaces N --repeats N --no-apply --label TEXT");
            return 2;
    }
}
if (servers.Count == 0) servers.Add("http://127.0.0.1:15020");
var clients = servers.Select(s => new ConfigService.ConfigServiceClient(GrpcChannel.ForAddress(s,
    new GrpcChannelOptions { MaxReceiveMessageSize = 256 * 1024 * 1024, MaxSendMessageSize = 16 * 1024 * 1024 }))).ToArray();
var turn = 0;
ConfigService.ConfigServiceClient Next() => clients[Interlocked.Increment(ref turn) % clients.Length];

string Document(int i) => $$$"""
    {"apiVersion":"networking.istio.io/v1","kind":"VirtualService",
     "metadata":{"name":"list-{{{i:D5}}}","namespace":"list-{{{i % namespaces}}}","labels":{"app":"list","tier":"t{{{i % 10}}}"}},
     "spec":{"hosts":["svc-{{{i}}}"],"http":[{"route":[
       {"destination":{"host":"svc-{{{i}}}","subset":"v1"},"weight":90},
       {"destination":{"host":"svc-{{{i}}}","subset":"v2"},"weight":10}],"timeout":"1.5s"}]}}
    """;

if (apply)
{
    // Setup, not measured: manifests of 50 documents, 8 at a time.
    var started = Stopwatch.StartNew();
    var batches = Enumerable.Range(0, count).Chunk(50).ToArray();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
    {
        int b;
        while ((b = Interlocked.Increment(ref next)) < batches.Length)
        {
            await Next().ApplyAsync(new ApplyRequest { Manifest = string.Join("\n---\n", batches[b].Select(Document)) });
        }
    })));
    Console.Error.WriteLine($"applied {count} VirtualServices in {started.Elapsed.TotalSeconds:0.0} s");
}

async Task<int> ReadAll(ListRequest request)
{
    var items = 0;
    do
    {
        var page = await Next().ListAsync(request);
        items += page.Items.Count;
        request.Continue = page.Metadata.Continue;
    } while (request.Continue != "");
    return items;
}

async Task Time(string operation, Func<Task<int>> list, int times)
{
    var seconds = new List<double>();
    var items = 0;
    for (var r = 0; r < times; r++)
    {
        var started = Stopwatch.GetTimestamp();
        items = await list();
        seconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    seconds.Sort();
    Console.WriteLine($"| {label} | {operation} | {items} | {times} | {seconds[seconds.Count / 2]:0} | {seconds[0]:0} | {seconds[^1]:0} |");
}

Console.WriteLine("| setup | operation | items | runs | median ms | min ms | max ms |");
Console.WriteLine("|---|---|---|---|---|---|---|");
// The first list after a start reads every resource from its grain once (the index refills); later ones do not.
await Time("first list -A after start (paged 500)", () => ReadAll(new ListRequest { Kind = "vs", Limit = 500 }), 1);
await Time("list -A, paged 500", () => ReadAll(new ListRequest { Kind = "vs", Limit = 500 }), repeats);
await Time("list -A, unpaged", () => ReadAll(new ListRequest { Kind = "vs" }), repeats);
await Time("list -A -l tier=t3 (1 in 10)", () => ReadAll(new ListRequest { Kind = "vs", LabelSelector = "tier=t3" }), repeats);
await Time("list -A -l tier=t3, paged 500", () => ReadAll(new ListRequest { Kind = "vs", LabelSelector = "tier=t3", Limit = 500 }), repeats);
await Time("one page -A (limit 500)", async () => (await Next().ListAsync(new ListRequest { Kind = "vs", Limit = 500 })).Items.Count, repeats);
await Time($"one namespace (~{count / namespaces}), unpaged", () => ReadAll(new ListRequest { Kind = "vs", Namespace = "list-0" }), repeats);
await Time("reference: a get per item, 16 at a time", async () =>
{
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            await Next().GetAsync(new GetRequest { Kind = "vs", Namespace = $"list-{i % namespaces}", Name = $"list-{i:D5}" });
        }
    })));
    return count;
}, 1);
return 0;
