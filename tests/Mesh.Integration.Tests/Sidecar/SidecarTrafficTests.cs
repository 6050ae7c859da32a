using System.Net;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.Sidecar.SidecarMesh;

namespace Mesh.Integration.Tests.Sidecar;

/// <summary>Real HTTP through two real sidecars (the client's outbound, the backend's inbound), configured by the
/// control plane from Istio YAML: each test applies its VirtualService and DestinationRule and checks Istio's
/// semantics for them.</summary>
[Trait("Category", "Sidecar")]
public sealed class SidecarTrafficTests(SidecarMesh mesh) : IClassFixture<SidecarMesh>
{
    [Fact]
    public async Task A_90_10_split_holds_over_1000_requests()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route:
                - destination: {host: reviews, subset: v1}
                  weight: 90
                - destination: {host: reviews, subset: v2}
                  weight: 10
            """));
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            var reply = await mesh.Send();
            if (reply.Status != 200) Interlocked.Increment(ref failures);
            else counts.AddOrUpdate(reply.Backend!, 1, (_, n) => n + 1);
        });
        Assert.Equal(0, failures);
        // 90% of 1000 has a standard deviation of about 9.5 requests: ±40 is more than four of them.
        Assert.InRange(counts.GetValueOrDefault("reviews-v1"), 860, 940);
        Assert.InRange(counts.GetValueOrDefault("reviews-v2"), 60, 140);
        Assert.Equal(0, counts.GetValueOrDefault("reviews-v3"));
    }

    [Fact]
    public async Task Header_routing_sends_jason_to_v3_and_everyone_else_to_v1()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: reviews, subset: v3}}]
              - route: [{destination: {host: reviews, subset: v1}}]
            """));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("reviews-v3", (await mesh.Send(headers: new Dictionary<string, string> { ["end-user"] = "jason" })).Backend);
            Assert.Equal("reviews-v1", (await mesh.Send(headers: new Dictionary<string, string> { ["end-user"] = "ann" })).Backend);
            Assert.Equal("reviews-v1", (await mesh.Send()).Backend);
        }
    }

    [Fact]
    public async Task Retries_turn_a_backend_failing_half_its_requests_into_at_least_99_percent_success()
    {
        // 11 tries at 50% each leave about one request in 2,000 failing; 6 left one in 128, too close to 1%.
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route: [{destination: {host: reviews, subset: v1}}]
                retries: {attempts: 10, retryOn: 5xx, perTryTimeout: 2s}
            """));
        var backend = mesh.Backends["v1"];
        var before = await backend.Requests();
        await backend.Faults(failRate: 0.5, status: 503);
        try
        {
            var ok = 0;
            for (var i = 0; i < 300; i++)
            {
                if ((await mesh.Send()).Status == 200) ok++;
            }
            Assert.True(ok >= 297, $"{ok} of 300 succeeded");
            // The backend really failed about half: it saw far more than 300 requests.
            Assert.True(await backend.Requests() - before > 450, "the backend saw the retries");
        }
        finally
        {
            await backend.Faults();
        }
    }

    [Fact]
    public async Task A_route_timeout_fires_with_504()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route: [{destination: {host: reviews, subset: v2}}]
                timeout: 400ms
            """));
        var backend = mesh.Backends["v2"];
        await backend.Faults(delayMs: 30_000);
        try
        {
            var reply = await mesh.Send();
            Assert.Equal(504, reply.Status);
            Assert.Contains("upstream request timeout", reply.Body);
            // Far from the backend's 30 s: the route's 400 ms answered, with room for a loaded machine.
            Assert.InRange(reply.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(15));
        }
        finally
        {
            await backend.Faults();
        }
        Assert.Equal(200, (await mesh.Send()).Status);
    }

    [Fact]
    public async Task A_circuit_breaker_trips_with_a_header_naming_the_limit_and_recovers()
    {
        await mesh.ApplyAndSettle(Rule("""
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 1}
                  http: {http1MaxPendingRequests: 1}
            """), Routes("""
              - route: [{destination: {host: reviews, subset: v3}}]
            """));
        var backend = mesh.Backends["v3"];
        await backend.Faults(delayMs: 500);
        try
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => mesh.Send()));
            var overflowed = replies.Where(r => r.Status == 503).ToList();
            Assert.NotEmpty(overflowed);
            Assert.All(overflowed, r => Assert.Equal("max_pending_requests", r.Response.Headers.GetValues("x-mesh-circuit-breaker").Single()));
            Assert.All(overflowed, r => Assert.Equal("true", r.Response.Headers.GetValues("x-envoy-overloaded").Single()));
            Assert.Contains(replies, r => r.Status == 200);
        }
        finally
        {
            await backend.Faults();
        }
        // Recovered: one at a time goes through.
        for (var i = 0; i < 5; i++) Assert.Equal(200, (await mesh.Send()).Status);
        await mesh.ApplyAndSettle(Rule());
    }

    [Fact]
    public async Task Outlier_detection_ejects_a_failing_endpoint_and_brings_it_back()
    {
        await mesh.ApplyAndSettle(Rule("""
              trafficPolicy:
                outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 3s, maxEjectionPercent: 100}
            """), Routes("""
              - route: [{destination: {host: reviews}}]
            """));
        var failing = mesh.Backends["v1"];
        var cluster = $"outbound|9080||{Host}";
        await failing.Faults(failRate: 1, status: 503);
        try
        {
            // Istio's default retry (503 to another endpoint) hides the failures from the caller.
            for (var i = 0; i < 30; i++) Assert.Equal(200, (await mesh.Send()).Status);
            var endpoint = await mesh.Endpoint(cluster, mesh.Sidecars["v1"].InboundPort);
            Assert.True(endpoint!["ejected"]!.GetValue<bool>(), endpoint.ToJsonString());
            var seen = await failing.Requests();
            for (var i = 0; i < 20; i++) await mesh.Send();
            Assert.Equal(seen, await failing.Requests());
        }
        finally
        {
            await failing.Faults();
        }
        await Timeouts.Until(async () => !(await mesh.Endpoint(cluster, mesh.Sidecars["v1"].InboundPort))!["ejected"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(15), "the ejection ends");
        var back = await failing.Requests();
        for (var i = 0; i < 30; i++) Assert.Equal(200, (await mesh.Send()).Status);
        Assert.True(await failing.Requests() > back, "the endpoint takes traffic again");
        await mesh.ApplyAndSettle(Rule());
    }

    [Fact]
    public async Task Fault_injection_aborts_and_delays()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - match: [{headers: {x-test: {exact: abort}}}]
                fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
                route: [{destination: {host: reviews, subset: v1}}]
              - match: [{headers: {x-test: {exact: delay}}}]
                fault: {delay: {fixedDelay: 600ms, percentage: {value: 100}}}
                route: [{destination: {host: reviews, subset: v1}}]
              - route: [{destination: {host: reviews, subset: v1}}]
            """));
        var before = await mesh.Backends["v1"].Requests();
        var aborted = await mesh.Send(headers: new Dictionary<string, string> { ["x-test"] = "abort" });
        Assert.Equal(418, aborted.Status);
        Assert.Equal(before, await mesh.Backends["v1"].Requests());
        var delayed = await mesh.Send(headers: new Dictionary<string, string> { ["x-test"] = "delay" });
        Assert.Equal(200, delayed.Status);
        Assert.True(delayed.Elapsed >= TimeSpan.FromMilliseconds(600), $"took {delayed.Elapsed}");
    }

    [Fact]
    public async Task Endpoints_added_and_removed_and_a_route_changed_under_load_cost_not_one_request()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route: [{destination: {host: reviews, subset: churn}}]
            """));
        var first = await mesh.AddWorkload("reviews-churn-1", "churn");
        await Timeouts.Until(async () => (await mesh.Send()).Backend == "reviews-churn-1", TimeSpan.FromSeconds(15), "churn-1 serves");
        var load = new Load(mesh, workers: 4).Start();
        await Task.Delay(1000);
        var second = await mesh.AddWorkload("reviews-churn-2", "churn");
        await Timeouts.Until(() => Task.FromResult(load.ByBackend.ContainsKey("reviews-churn-2")), TimeSpan.FromSeconds(15), "the added endpoint takes traffic");
        first.Sidecar.Stop();
        var servedByFirst = load.ByBackend.GetValueOrDefault("reviews-churn-1");
        await Task.Delay(1500);
        await mesh.Apply(Routes("""
              - route: [{destination: {host: reviews, subset: v2}}]
            """));
        await Timeouts.Until(() => Task.FromResult(load.ByBackend.ContainsKey("reviews-v2")), TimeSpan.FromSeconds(15), "the new route takes traffic");
        await Task.Delay(1000);
        await load.Stop();
        Assert.True(load.Failures.IsEmpty, $"{load.Failures.Count} failed of {load.Ok + load.Failures.Count}: {string.Join(" | ", load.Failures.Take(5))}");
        Assert.True(load.Ok > 200, $"only {load.Ok} requests");
        Assert.True(load.ByBackend.GetValueOrDefault("reviews-churn-1") - servedByFirst < 50, "the stopped endpoint left the rotation");
        // Its WorkloadEntry is gone at once: a graceful stop deregisters.
        var entries = await mesh.Silo.Client.ListAsync(new ListRequest { Kind = "WorkloadEntry", Namespace = "bookinfo" });
        Assert.DoesNotContain(entries.Items, r => r.Metadata.Name == "reviews-churn-1");
        Assert.Contains(entries.Items, r => r.Metadata.Name == "reviews-churn-2");
        second.Sidecar.Stop();
    }

    [Fact]
    public async Task HTTP2_and_gRPC_streaming_cross_two_sidecars()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route: [{destination: {host: reviews, subset: v1}}]
            """));
        // On a protocol HTTP port the application gets HTTP/1.1 whatever the caller speaks, as from Istio's sidecar.
        var onHttpPort = await mesh.Send(version: HttpVersion.Version20);
        Assert.Equal(200, onHttpPort.Status);
        Assert.Equal(HttpVersion.Version20, onHttpPort.Response.Version);
        Assert.Contains("\"protocol\":\"HTTP/1.1\"", onHttpPort.Body);
        // On an HTTP2 port, HTTP/2 end to end, and gRPC.
        await mesh.ApplyAndSettle(BaseConfig.Replace("protocol: HTTP}", "protocol: HTTP2}", StringComparison.Ordinal));
        try
        {
            await Http2EndToEnd();
        }
        finally
        {
            await mesh.ApplyAndSettle(BaseConfig);
        }
    }

    private async Task Http2EndToEnd()
    {
        var h2 = await mesh.Send(version: HttpVersion.Version20);
        Assert.Equal(200, h2.Status);
        Assert.Equal(HttpVersion.Version20, h2.Response.Version);
        Assert.Contains("\"protocol\":\"HTTP/2\"", h2.Body);

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{mesh.Client.OutboundPort}",
            new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = new AuthorityHandler("reviews:9080") });
        var echo = new Mesh.Test.Echo.EchoClient(channel);
        var unary = await echo.CallAsync(new Mesh.Test.EchoRequest { Payload = "hi" });
        Assert.Equal("reviews-v1", unary.Backend);
        using var stream = echo.Stream(new Mesh.Test.EchoRequest { Payload = "s" });
        var streamed = new List<string>();
        while (await stream.ResponseStream.MoveNext(CancellationToken.None)) streamed.Add(stream.ResponseStream.Current.Payload);
        Assert.Equal(["s#0", "s#1", "s#2"], streamed);
        using var chat = echo.Chat();
        for (var i = 0; i < 5; i++)
        {
            await chat.RequestStream.WriteAsync(new Mesh.Test.EchoRequest { Payload = $"m{i}" });
            Assert.True(await chat.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal($"m{i}", chat.ResponseStream.Current.Payload);
        }
        await chat.RequestStream.CompleteAsync();
        Assert.False(await chat.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Istio_metrics_access_log_trace_context_and_config_dump_are_there()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route: [{destination: {host: reviews, subset: v2}}]
            """));
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var reply = await mesh.Send(headers: new Dictionary<string, string> { ["traceparent"] = $"00-{traceId}-00f067aa0ba902b7-01" });
        Assert.Equal(200, reply.Status);
        // The backend saw the same trace, with a parent span of the sidecars' own.
        Assert.Contains($"00-{traceId}-", reply.Body);
        Assert.DoesNotContain("00f067aa0ba902b7", reply.Body);
        await Timeouts.Until(async () => (await mesh.Client.Prometheus()).Contains("reporter=\"source\""), TimeSpan.FromSeconds(10), "client metrics");
        var source = await mesh.Client.Prometheus();
        Assert.Matches($"istio_requests_total\\{{[^}}]*destination_service=\"{Host}\"[^}}]*destination_workload=\"reviews-v2\"[^}}]*reporter=\"source\"[^}}]*response_code=\"200\"", source);
        Assert.Contains("istio_request_duration_milliseconds_bucket", source);
        Assert.Contains("istio_response_bytes_bucket", source);
        var destination = await mesh.Sidecars["v2"].Prometheus();
        Assert.Matches("istio_requests_total\\{[^}]*reporter=\"destination\"[^}]*source_workload=\"client\"", destination);
        await Timeouts.Until(() => Task.FromResult(File.ReadAllText(mesh.Client.Process.LogPath).Contains(traceId)), TimeSpan.FromSeconds(10), "an access-log line");
        var line = File.ReadLines(mesh.Client.Process.LogPath).Last(l => l.Contains(traceId));
        var log = System.Text.Json.Nodes.JsonNode.Parse(line)!;
        Assert.Equal("outbound", log["direction"]!.GetValue<string>());
        Assert.Equal(200, log["response_code"]!.GetValue<int>());
        Assert.StartsWith("outbound|9080|v2|", log["upstream_cluster"]!.GetValue<string>());
        var dump = await mesh.Client.Admin("/config_dump");
        Assert.Contains(dump["resources"]!["LDS"]!.AsArray(), l => l!["name"]!.GetValue<string>() == $"{Host}:9080");
        Assert.False(string.IsNullOrEmpty(dump["versions"]!["RDS"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_cluster_the_sidecar_cannot_run_is_NACKed_and_the_last_good_config_keeps_serving()
    {
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route: [{destination: {host: reviews, subset: v3}}]
            """));
        // credentialName names a Kubernetes Secret, which only gateways read: valid config (Istio accepts it too), which a
        // sidecar cannot run, and so must refuse. (The validator now refuses what RE2 refuses, so a regex no longer can.)
        await mesh.Apply(Rule("""
              trafficPolicy:
                tls: {mode: SIMPLE, credentialName: reviews-client-cert}
            """));
        await Timeouts.Until(async () => (await mesh.Client.Admin("/config_dump"))["last_rejected"] is not null, TimeSpan.FromSeconds(15), "the NACK");
        var rejected = (await mesh.Client.Admin("/config_dump"))["last_rejected"]!;
        Assert.Contains("credentialName", rejected["error"]!.GetValue<string>());
        for (var i = 0; i < 10; i++) Assert.Equal("reviews-v3", (await mesh.Send()).Backend);
        // The control plane shows the NACK, with the proxy's own words.
        await Timeouts.Until(async () => (await mesh.Silo.Client.ProxyStatusAsync(new ProxyStatusRequest())).Proxies
            .Any(p => p.NodeId.Contains("client.bookinfo") && p.Types_.Any(t => t.Sync == "NACKED" && t.NackError.Contains("credentialName"))),
            TimeSpan.FromSeconds(15), "proxy-status shows the NACK");
        // Leave the mesh as the other tests expect it: a good rule, and routes that differ from the last ACKed ones.
        await mesh.ApplyAndSettle(Rule(), Routes("""
              - route: [{destination: {host: reviews, subset: v1}}]
            """));
    }

    [Fact]
    public async Task A_sidecar_that_vanishes_is_deregistered_when_its_lease_expires()
    {
        var (_, sidecar) = await mesh.AddWorkload("reviews-lost", "lost");
        async Task<bool> Registered() => (await mesh.Silo.Client.ListAsync(new Mesh.Api.V1.ListRequest { Kind = "WorkloadEntry", Namespace = "bookinfo" }))
            .Items.Any(r => r.Metadata.Name == "reviews-lost");
        Assert.True(await Registered());
        sidecar.Kill();
        // Not at once (the stream was cut, not closed), but within the 5 s lease and a timer tick.
        await Task.Delay(1000);
        Assert.True(await Registered(), "a cut stream keeps its lease for a while");
        await Timeouts.Until(async () => !await Registered(), TimeSpan.FromSeconds(20), "the lease expires");
    }

    private sealed class AuthorityHandler(string authority) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = authority;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
