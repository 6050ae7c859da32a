using System.Text.Json.Nodes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Manifests;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Embedded;

/// <summary>The embedded silo as a new user runs it, driven by the real meshctl.</summary>
public sealed class EmbeddedSiloTests(EmbeddedSilo fixture) : IClassFixture<EmbeddedSilo>
{
    private string Server => fixture.Silo.ApiUrl;

    [Fact]
    public async Task ApplyGetHistoryDelete_RoundTrip_SurvivesRestart()
    {
        var apply = await Meshctl.Run(Server, "apply", "-f", Samples.ReviewsPath);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("virtualservice.networking.istio.io/reviews created", apply.Stdout);
        Assert.Contains("destinationrule.networking.istio.io/reviews created", apply.Stdout);
        Assert.Contains("workloadentry.networking.istio.io/reviews-v1 created", apply.Stdout);

        // Back unchanged: the spec and the user's metadata are what the file says.
        var original = Samples.Documents(Samples.ReviewsPath);
        foreach (var (kind, shortName) in new[] { ("VirtualService", "vs"), ("DestinationRule", "dr"), ("ServiceEntry", "se") })
        {
            var get = await Meshctl.Run(Server, "get", shortName, "reviews", "-n", "bookinfo", "-o", "yaml");
            Assert.True(get.ExitCode == 0, get.ToString());
            var returned = ManifestParser.Parse(get.Stdout).Single().Root!;
            var expected = Samples.Find(original, kind, "reviews");
            Assert.True(JsonNode.DeepEquals(expected["spec"], returned["spec"]), $"{kind} spec changed:\n{get.Stdout}");
            Assert.Equal(expected["apiVersion"]!.GetValue<string>(), returned["apiVersion"]!.GetValue<string>());
            Assert.Equal("1", returned["metadata"]!["resourceVersion"]!.ToString());
        }

        var unchanged = await Meshctl.Run(Server, "apply", "-f", Samples.ReviewsPath);
        Assert.Contains("virtualservice.networking.istio.io/reviews unchanged", unchanged.Stdout);

        var changed = Samples.Find(original, "VirtualService", "reviews");
        changed["spec"]!["http"]![1]!["route"]![0]!["weight"] = 50;
        changed["spec"]!["http"]![1]!["route"]![1]!["weight"] = 50;
        var configured = await Meshctl.RunWithInput(Server, changed.ToJsonString(), "apply", "-f", "-");
        Assert.True(configured.ExitCode == 0, configured.ToString());
        Assert.Contains("virtualservice.networking.istio.io/reviews configured", configured.Stdout);

        var table = await Meshctl.Run(Server, "get", "virtualservices", "-A");
        Assert.Matches(@"(?m)^bookinfo\s+reviews\s+", table.Stdout);

        // Restart: everything acknowledged is still there.
        fixture.Silo.Stop();
        await fixture.Silo.Start().WaitReady();

        var history = await Meshctl.Run(Server, "history", "vs", "reviews", "-n", "bookinfo", "-o", "json");
        Assert.True(history.ExitCode == 0, history.ToString());
        var versions = JsonNode.Parse(history.Stdout)!["items"]!.AsArray();
        Assert.Equal(2, versions.Count);
        Assert.Equal("2", versions[0]!["metadata"]!["resourceVersion"]!.ToString());
        Assert.Equal(50, versions[0]!["spec"]!["http"]![1]!["route"]![0]!["weight"]!.GetValue<int>());
        Assert.Equal(90, versions[1]!["spec"]!["http"]![1]!["route"]![0]!["weight"]!.GetValue<int>());

        var workloads = await Meshctl.Run(Server, "get", "we", "-n", "bookinfo");
        Assert.Contains("reviews-v1", workloads.Stdout);
        Assert.Contains("127.0.0.12", workloads.Stdout);

        var delete = await Meshctl.Run(Server, "delete", "vs", "reviews", "-n", "bookinfo");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("virtualservice.networking.istio.io \"reviews\" deleted", delete.Stdout);
        var gone = await Meshctl.Run(Server, "get", "vs", "reviews", "-n", "bookinfo");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("not found", gone.Stderr);

        var deleteFile = await Meshctl.Run(Server, "delete", "-f", Samples.ReviewsPath, "--ignore-not-found");
        Assert.True(deleteFile.ExitCode == 0, deleteFile.ToString());
        var none = await Meshctl.Run(Server, "get", "we", "-n", "bookinfo");
        Assert.DoesNotContain("reviews-v1", none.Stdout);
    }

    [Fact]
    public async Task Endpoints_FollowServiceEntriesWorkloadEntriesAndSubsets()
    {
        var manifest = (await File.ReadAllTextAsync(Samples.ReviewsPath)).Replace("bookinfo", "eps");
        var apply = await Meshctl.RunWithInput(Server, manifest, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var endpoints = await Endpoints("reviews");
        Assert.Equal(["127.0.0.11:9080", "127.0.0.12:9080"], endpoints.All);
        Assert.Equal(["127.0.0.11:9080"], endpoints.Subsets["v1"]);
        Assert.Equal(["127.0.0.12:9080"], endpoints.Subsets["v2"]);

        // v2 becomes v1, then goes away.
        var relabel = await Meshctl.RunWithInput(Server, """
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: reviews-v2, namespace: eps}
            spec: {address: 127.0.0.12, labels: {app: reviews, version: v1}}
            """, "apply", "-f", "-");
        Assert.True(relabel.ExitCode == 0, relabel.ToString());
        Assert.Equal(["127.0.0.11:9080", "127.0.0.12:9080"], (await Endpoints("reviews")).Subsets["v1"]);
        Assert.Empty((await Endpoints("reviews")).Subsets["v2"]);

        Assert.Equal(0, (await Meshctl.Run(Server, "delete", "we", "reviews-v2", "-n", "eps")).ExitCode);
        Assert.Equal(["127.0.0.11:9080"], (await Endpoints("reviews")).All);

        Assert.Equal(0, (await Meshctl.Run(Server, "delete", "se", "reviews", "-n", "eps")).ExitCode);
        var gone = await Meshctl.Run(Server, "endpoints", "reviews", "-n", "eps");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("no ServiceEntry declares host \"reviews.eps.svc.cluster.local\"", gone.Stderr);
    }

    private async Task<(List<string> All, Dictionary<string, List<string>> Subsets)> Endpoints(string host)
    {
        var result = await Meshctl.Run(Server, "endpoints", host, "-n", "eps", "-o", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var port = JsonNode.Parse(result.Stdout)!["ports"]!.AsArray().Single()!;
        Assert.Equal(9080, port["number"]!.GetValue<int>());
        static List<string> Addresses(JsonNode? list) =>
            [.. (list?.AsArray() ?? []).Select(e => $"{e!["address"]}:{e["port"]}").Order(StringComparer.Ordinal)];
        var subsets = (port["subsets"]?.AsObject() ?? []).ToDictionary(s => s.Key, s => Addresses(s.Value!["endpoints"]));
        return (Addresses(port["endpoints"]), subsets);
    }

    [Fact]
    public async Task BrokenDocument_GetsPreciseError_AndNothingIsStored()
    {
        var broken = Samples.VirtualService("ratings", "errors", 80);
        broken["spec"]!["http"]![0]!["route"]![1]!["weight"] = 10;
        broken["spec"]!["http"]![0]!["timeout"] = "soon";
        var result = await Meshctl.RunWithInput(Server, broken.ToJsonString(), "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: VirtualService errors/ratings: spec.http[0].route: weights sum to 90, must be 100", result.Stderr);
        Assert.Contains("error: VirtualService errors/ratings: spec.http[0].timeout:", result.Stderr);
        var get = await Meshctl.Run(Server, "get", "vs", "ratings", "-n", "errors");
        Assert.Equal(1, get.ExitCode);
    }

    [Fact]
    public async Task ManifestWithOneBadDocument_StoresNoneOfIt()
    {
        var good = Samples.VirtualService("good", "atomic", 50);
        var bad = Samples.VirtualService("bad", "atomic", 50);
        bad["spec"]!["http"]![0]!["retries"] = new JsonObject { ["attempts"] = "three" };
        var manifest = ManifestWriter.ToYaml([good, bad]);

        var result = await Meshctl.RunWithInput(Server, manifest, "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("VirtualService atomic/bad: spec.http[0].retries.attempts", result.Stderr);
        Assert.Equal(1, (await Meshctl.Run(Server, "get", "vs", "good", "-n", "atomic")).ExitCode);
    }

    [Fact]
    public async Task StaleResourceVersion_IsRefusedWithAborted()
    {
        var client = fixture.Silo.Client;
        var first = await client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService("details", "occ", 50).ToJsonString() });
        var version = first.Results[0].ResourceVersion;
        await client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService("details", "occ", 60).ToJsonString(), ExpectedResourceVersion = version });

        var stale = await Assert.ThrowsAsync<RpcException>(() => client.ApplyAsync(new ApplyRequest
        {
            Manifest = Samples.VirtualService("details", "occ", 70).ToJsonString(),
            ExpectedResourceVersion = version,
        }).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Contains($"resourceVersion {version} is stale", stale.Status.Detail);
        var stored = await client.GetAsync(new GetRequest { Kind = "vs", Namespace = "occ", Name = "details" });
        Assert.Equal(60, (int)stored.Spec.Fields["http"].ListValue.Values[0].StructValue.Fields["route"].ListValue.Values[0].StructValue.Fields["weight"].NumberValue);
    }

    [Fact]
    public async Task DryRun_ValidatesAndReports_StoresNothing()
    {
        var result = await fixture.Silo.Client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService("dry", "dryrun", 50).ToJsonString(), DryRun = true });

        Assert.Equal("created", result.Results[0].Outcome);
        var missing = await Assert.ThrowsAsync<RpcException>(() => fixture.Silo.Client.GetAsync(new GetRequest { Kind = "VirtualService", Namespace = "dryrun", Name = "dry" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Watch_StreamsAddedModifiedDeleted()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = fixture.Silo.Client.Watch(new WatchRequest { Namespace = "watched", Kind = "vs" }, cancellationToken: cancel.Token);
        // Response headers arrive once the watch is subscribed.
        await watch.ResponseHeadersAsync.Within(TimeSpan.FromSeconds(30), "the watch subscribing");
        var client = fixture.Silo.Client;
        await client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService("a", "watched", 50).ToJsonString() });
        await client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService("a", "watched", 70).ToJsonString() });
        await client.DeleteAsync(new DeleteRequest { Kind = "vs", Namespace = "watched", Name = "a" });

        var events = new List<WatchEvent>();
        while (events.Count < 3 && await watch.ResponseStream.MoveNext(cancel.Token))
        {
            events.Add(watch.ResponseStream.Current);
        }

        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("a", e.Resource.Metadata.Name));
        Assert.Equal(["1", "2", "3"], events.Select(e => e.Resource.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task HttpJson_ServesTheSameApi()
    {
        await fixture.Silo.Client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService("json", "http", 50).ToJsonString() });
        using var http = new HttpClient();

        var body = await http.GetStringAsync($"http://127.0.0.1:{fixture.Silo.HttpPort}/apis/mesh.v1/namespaces/http/virtualservices/json");
        var resource = JsonNode.Parse(body)!;

        Assert.Equal("VirtualService", resource["kind"]!.GetValue<string>());
        Assert.Equal(50, resource["spec"]!["http"]![0]!["route"]![0]!["weight"]!.GetValue<int>());
        using var missing = await http.GetAsync($"http://127.0.0.1:{fixture.Silo.HttpPort}/apis/mesh.v1/namespaces/http/virtualservices/nope");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Metrics_CountRequestsResourcesAndActivations()
    {
        await fixture.Silo.Client.ApplyAsync(new ApplyRequest { Manifest = Samples.VirtualService("metered", "metrics", 50).ToJsonString() });

        await Timeouts.Until(async () => (await fixture.Silo.Metrics()).Contains("mesh_config_resources{otel_scope_name=\"Mesh.ControlPlane\",kind=\"VirtualService\"}"),
            TimeSpan.FromSeconds(30), "the resource gauge");
        var metrics = await fixture.Silo.Metrics();
        Assert.Matches("mesh_api_requests_total\\{[^}]*method=\"Apply\",status=\"OK\"\\} [1-9]", metrics);
        Assert.Contains("mesh_api_request_duration_seconds_bucket", metrics);
        Assert.Matches("orleans_catalog_activations\\{[^}]*\\} [1-9]", metrics);
    }

    [Fact]
    public async Task UsageAndOfflineValidation_UseTheDocumentedExitCodes()
    {
        Assert.Equal(2, (await Meshctl.Run(Server, "get")).ExitCode);
        Assert.Equal(2, (await Meshctl.Run(Server, "get", "nosuchkind")).ExitCode);
        Assert.Equal(2, (await Meshctl.Run(Server, "apply", "-f", "/does/not/exist.yaml")).ExitCode);

        var valid = await Meshctl.Run("http://127.0.0.1:1", "validate", "-f", Samples.ReviewsPath);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains("virtualservice.networking.istio.io/reviews valid", valid.Stdout);

        var version = await Meshctl.Run(Server, "version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Contains("store sqlite", version.Stdout);
    }
}
