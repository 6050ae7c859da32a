using System.Text.Json.Nodes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Embedded;

/// <summary>Lists as Kubernetes pages them (limit, continue, selectors), from the index, on the embedded silo.</summary>
public sealed class ListPagingTests(EmbeddedSilo fixture) : IClassFixture<EmbeddedSilo>
{
    private ConfigService.ConfigServiceClient Api => fixture.Silo.Client;

    [Fact]
    public async Task Paging_UnderConcurrentWrites_ReturnsEveryLastingItemOnceInOrder()
    {
        var run = Run();
        await Apply(Enumerable.Range(0, 60).Select(i => Vs($"s-{i:D3}", "paging", run, "stable"))
            .Concat(Enumerable.Range(0, 20).Select(i => Vs($"d-{i:D3}", "paging", run, "doomed"))));
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            // Creates, deletes and rewrites while the pages are read.
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await Apply([Vs($"n-{i:D3}", "paging", run, "new"), Vs($"s-{i % 60:D3}", "paging", run, "stable", weight: 10 + i % 80)]);
                if (i < 20) await Api.DeleteAsync(new DeleteRequest { Kind = "vs", Namespace = "paging", Name = $"d-{i:D3}" });
                writes++;
            }
        });

        var names = new List<string>();
        var request = new ListRequest { Kind = "vs", Namespace = "paging", Limit = 7, LabelSelector = $"run={run}" };
        var pages = 0;
        do
        {
            var page = await Api.ListAsync(request);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            Assert.True(page.Items.Count <= 7);
            if (page.Metadata.Continue != "") Assert.True(page.Metadata.RemainingItemCount > 0);
            request.Continue = page.Metadata.Continue;
            pages++;
            await Task.Delay(20);
        } while (request.Continue != "");
        await stop.CancelAsync();
        await writer;

        Assert.True(writes > 0 && pages > 10, $"{writes} writes over {pages} pages");
        Assert.Equal(names.Order(StringComparer.Ordinal), names); // in order, so no item twice
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"s-{i:D3}"), names.Where(n => n.StartsWith("s-")));
    }

    [Fact]
    public async Task AllNamespaces_PagesAcrossNamespacesInNamespaceThenNameOrder()
    {
        var run = Run();
        await Apply([.. new[] { "pa", "pb", "pc" }.SelectMany(ns => Enumerable.Range(0, 5).Select(i => Vs($"r-{i}", ns, run, "all")))]);

        var seen = new List<(string, string)>();
        var request = new ListRequest { Kind = "vs", Limit = 4, LabelSelector = $"run={run}" };
        var remaining = new List<long>();
        do
        {
            var page = await Api.ListAsync(request);
            seen.AddRange(page.Items.Select(i => (i.Metadata.Namespace, i.Metadata.Name)));
            remaining.Add(page.Metadata.HasRemainingItemCount ? page.Metadata.RemainingItemCount : 0);
            request.Continue = page.Metadata.Continue;
        } while (request.Continue != "");

        Assert.Equal(new[] { "pa", "pb", "pc" }.SelectMany(ns => Enumerable.Range(0, 5).Select(i => (ns, $"r-{i}"))), seen);
        Assert.Equal([11L, 7, 3, 0], remaining);
        var acrossAll = (await Api.ListAsync(new ListRequest { Kind = "vs", Limit = 1, LabelSelector = $"run={run}" })).Metadata.Continue;
        var other = await Assert.ThrowsAsync<RpcException>(() => Api.ListAsync(new ListRequest { Kind = "vs", Namespace = "pa", Continue = acrossAll }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, other.StatusCode);
        Assert.Contains("all namespaces", other.Status.Detail);
    }

    [Fact]
    public async Task Selectors_Select_AndABadOneSaysWhere()
    {
        var run = Run();
        await Apply([Vs("web-1", "labels", run, "web"), Vs("web-2", "labels", run, "web"), Vs("db-1", "labels", run, "db"), Vs("cache-1", "labels", run, "cache")]);

        var web = await Meshctl.Run(fixture.Silo.ApiUrl, "get", "vs", "-n", "labels", "-l", $"run={run},tier in (web,cache),tier!=cache", "-o", "name");
        var notDb = await Meshctl.Run(fixture.Silo.ApiUrl, "get", "vs", "-A", "-l", $"run={run},tier notin (db)", "--field-selector", "metadata.name!=web-2", "-o", "name");
        var bad = await Meshctl.Run(fixture.Silo.ApiUrl, "get", "vs", "-n", "labels", "-l", "tier in (web");

        Assert.True(web.ExitCode == 0, web.ToString());
        Assert.Equal("virtualservice.networking.istio.io/web-1\nvirtualservice.networking.istio.io/web-2\n", web.Stdout);
        Assert.Equal("virtualservice.networking.istio.io/cache-1\nvirtualservice.networking.istio.io/web-1\n", notDb.Stdout);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("expected ',' or ')', found the end at position 13", bad.Stderr);
    }

    [Fact]
    public async Task AcknowledgedApply_ShowsInTheNextList()
    {
        var run = Run();
        for (var i = 0; i < 20; i++)
        {
            var applied = await Api.ApplyAsync(new ApplyRequest { Manifest = Vs($"rw-{i % 3}", "ryw", run, $"w{i}", weight: 1 + i).ToJsonString() });

            var listed = await Api.ListAsync(new ListRequest { Kind = "vs", Namespace = "ryw", LabelSelector = $"run={run},tier=w{i}" });

            Assert.Equal(applied.Results.Single().ResourceVersion, Assert.Single(listed.Items).Metadata.ResourceVersion);
        }
        await Api.DeleteAsync(new DeleteRequest { Kind = "vs", Namespace = "ryw", Name = "rw-0" });
        var after = await Api.ListAsync(new ListRequest { Kind = "vs", Namespace = "ryw", LabelSelector = $"run={run}" });
        Assert.Equal(["rw-1", "rw-2"], after.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task MeshctlAndJson_FollowContinue()
    {
        var run = Run();
        await Apply([.. Enumerable.Range(0, 12).Select(i => Vs($"c-{i:D2}", "chunks", run, "c"))]);
        var server = fixture.Silo.ApiUrl;

        var chunked = await Meshctl.Run(server, "get", "vs", "-n", "chunks", "--chunk-size", "5", "-o", "name");
        var limited = await Meshctl.Run(server, "get", "vs", "-n", "chunks", "--limit", "3", "--chunk-size", "2", "-o", "name");
        var token = limited.Stderr.Split("--continue ")[1].Trim();
        var rest = await Meshctl.Run(server, "get", "vs", "-n", "chunks", "--continue", token, "-o", "name");

        Assert.Equal(12, chunked.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(3, limited.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("9 more;", limited.Stderr);
        Assert.Equal(chunked.Stdout, limited.Stdout + rest.Stdout);

        using var http = new HttpClient();
        var url = $"http://127.0.0.1:{fixture.Silo.HttpPort}/apis/mesh.v1/virtualservices?namespace=chunks&limit=5&labelSelector=run%3D{run}";
        var first = JsonNode.Parse(await http.GetStringAsync(url))!;
        var next = first["metadata"]!["continue"]!.GetValue<string>();
        var second = JsonNode.Parse(await http.GetStringAsync($"{url}&continue={next}"))!;
        Assert.Equal(5, first["items"]!.AsArray().Count);
        Assert.Equal("7", first["metadata"]!["remainingItemCount"]!.ToString());
        Assert.Equal("c-05", second["items"]![0]!["metadata"]!["name"]!.GetValue<string>());
        using var bad = await http.GetAsync($"{url}&continue=garbage");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static string Run() => Guid.NewGuid().ToString("N")[..8];

    private async Task Apply(IEnumerable<JsonObject> documents) =>
        await Api.ApplyAsync(new ApplyRequest { Manifest = string.Join("\n---\n", documents.Select(d => d.ToJsonString())) });

    private static JsonObject Vs(string name, string @namespace, string run, string tier, int weight = 50)
    {
        var vs = Samples.VirtualService(name, @namespace, weight);
        vs["metadata"]!["labels"] = new JsonObject { ["run"] = run, ["tier"] = tier };
        return vs;
    }
}
