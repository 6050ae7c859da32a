using Mesh.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>Traffic end to end with only kubectl: Services, pods and EndpointSlices written to the (fake) API server
/// are reached by a grpc-js-xds client and a mesh sidecar; DestinationRules and VirtualServices applied with kubectl
/// route them; a scaled-down or terminating endpoint stops getting requests from every proxy within a second.</summary>
public sealed class TrafficTests(KubernetesTraffic mesh, ITestOutputHelper output) : IClassFixture<KubernetesTraffic>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);
    private static readonly Dictionary<string, string> Canary = new() { ["x-canary"] = "yes" };

    private const string ReviewsRule = $$$"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: {{{KubernetesTraffic.Namespace}}}}
        spec:
          host: reviews
          subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
        ---

        """;

    [Fact]
    public async Task KubectlAppliedServices_AreReachedByBothProxies_AndASubsetByPodLabelRoutesOnlyToV2()
    {
        foreach (var service in KubernetesTraffic.ServiceNames)
        {
            string[] pods = [.. KubernetesTraffic.PodsOf(service).Select(p => p.Name).Order()];
            await UntilBoth(service, 20, null, answered => answered.Keys.Order().SequenceEqual(pods), $"every {service} pod answers");
        }

        await mesh.Cluster.Apply(ReviewsRule + VirtualService("- route: [{destination: {host: reviews, subset: v2}}]"));
        try
        {
            await UntilBoth("reviews", 20, null, OnlyFrom("reviews-v2"), "only reviews-v2 answers");
            await AssertBoth("reviews", 30, null, "reviews-v2");
        }
        finally
        {
            await mesh.Cluster.RunKubectl("", "delete", "virtualservice.networking.istio.io", "reviews", "-n", KubernetesTraffic.Namespace);
        }
    }

    [Fact]
    public async Task AVirtualServiceAppliedWithKubectl_RoutesByHeader_AndDeletingItReturnsToTheDefault()
    {
        await mesh.Cluster.Apply(ReviewsRule + VirtualService("""
            - match: [{headers: {x-canary: {exact: "yes"}}}]
              route: [{destination: {host: reviews, subset: v2}}]
            - route: [{destination: {host: reviews, subset: v1}}]
            """));
        await UntilBoth("reviews", 20, Canary, OnlyFrom("reviews-v2"), "x-canary to reviews-v2");
        await UntilBoth("reviews", 20, null, OnlyFrom("reviews-v1"), "the rest to reviews-v1");
        await AssertBoth("reviews", 20, Canary, "reviews-v2");
        await AssertBoth("reviews", 20, null, "reviews-v1");

        // Changed once its status is written (which gives it a new resourceVersion in Mesh): the rest goes to v2 now.
        await Timeouts.Until(async () => (await mesh.Cluster.RunKubectl("", "get", "virtualservice.networking.istio.io", "reviews", "-n", KubernetesTraffic.Namespace, "-o", "json")).Contains("Reconciled"),
            Settle, "the VirtualService's status written");
        await Measure("reviews", "reviews-v1", ReviewsRule + VirtualService("- route: [{destination: {host: reviews, subset: v2}}]"), ["reviews-v2"]);

        await mesh.Cluster.RunKubectl("", "delete", "virtualservice.networking.istio.io", "reviews", "-n", KubernetesTraffic.Namespace);
        await UntilBoth("reviews", 20, Canary, answered => answered.Keys.Order().SequenceEqual(["reviews-v1", "reviews-v2"]), "both versions answer again");
    }

    [Fact]
    public async Task AScaledDownOrTerminatingEndpoint_GetsNoNewRequestsFromAnyProxy_WithinASecond()
    {
        var (first, second, third) = (KubernetesTraffic.Pods.Single(p => p.Name == "details-1"), KubernetesTraffic.Pods.Single(p => p.Name == "details-2"),
            KubernetesTraffic.Pods.Single(p => p.Name == "details-3"));
        // Round robin at both proxies, so that every batch of the probes reaches every endpoint the proxy has.
        await mesh.Cluster.Apply(mesh.Slice("details", (first, EndpointState.Ready), (second, EndpointState.Ready), (third, EndpointState.Ready)) + $$$"""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: details, namespace: {{{KubernetesTraffic.Namespace}}}}
            spec:
              host: details
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            """);
        await UntilBoth("details", 6, null, answered => answered.Count == 3 && answered.Values.All(n => n == 2), "round robin over the three details pods");

        try
        {
            // Scaled down: the slice without details-3.
            await Measure("details", third.Name, mesh.Slice("details", (first, EndpointState.Ready), (second, EndpointState.Ready)), [first.Name, second.Name]);

            // Terminating (the pod is being deleted, still serving): no new requests, as istiod sends it as DRAINING.
            await Measure("details", second.Name, mesh.Slice("details", (first, EndpointState.Ready), (second, EndpointState.Terminating)), [first.Name]);
        }
        finally
        {
            await mesh.Cluster.Apply(mesh.Slice("details", (first, EndpointState.Ready), (second, EndpointState.Ready), (third, EndpointState.Ready)));
        }
    }

    /// <summary>Applies <paramref name="manifest"/> with kubectl while both proxies send batches to the Service, and asserts that
    /// each stopped sending to <paramref name="gone"/> within <see cref="Propagation"/> of kubectl's return, and that
    /// from then on only <paramref name="remaining"/> answer. Prints each proxy's time.</summary>
    private async Task Measure(string service, string gone, string manifest, string[] remaining)
    {
        TrafficProbe[] probes =
        [
            new TrafficProbe("grpc-js-xds", () => mesh.ThroughGrpc(service, 6)).Start(),
            new TrafficProbe("sidecar", () => mesh.ThroughSidecar(service, 6)).Start(),
        ];
        var started = TrafficProbe.Now;
        await Task.Delay(500);
        var applying = TrafficProbe.Now;
        await mesh.Cluster.Apply(manifest);
        var applied = TrafficProbe.Now;
        // To read beside the silo's log: when kubectl returned, and how long it took.
        output.WriteLine($"kubectl apply returned at {DateTime.UtcNow:HH:mm:ss.fff} after {System.Diagnostics.Stopwatch.GetElapsedTime(applying, applied).TotalMilliseconds:0} ms");
        await Task.Delay(Propagation + TimeSpan.FromSeconds(2.5));

        var runs = new List<(TrafficProbe Probe, IReadOnlyList<TrafficProbe.Batch> Batches, TimeSpan Last)>();
        foreach (var probe in probes)
        {
            var batches = await probe.Stop();
            runs.Add((probe, batches, TrafficProbe.LastSentAfter(batches, gone, applied)));
        }
        output.WriteLine($"{gone}: the last request after kubectl returned was sent after " + string.Join(", ", runs.Select(r => $"{r.Last.TotalMilliseconds:0} ms by the {r.Probe.Proxy}")));
        foreach (var (probe, batches, last) in runs)
        {
            Assert.True(TrafficProbe.AnsweredAfter(batches, started).ContainsKey(gone), $"{probe.Proxy} sent to {gone} before the change");
            Assert.True(last < Propagation, $"{probe.Proxy} still sent to {gone} {last.TotalMilliseconds:0} ms after kubectl returned");
            var after = TrafficProbe.AnsweredAfter(batches, applied + (long)(Propagation.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
            Assert.True(after.Keys.Order().SequenceEqual(remaining.Order()), $"{probe.Proxy} afterwards: {Format(after)}");
            // Two batches at least: each reaches every endpoint the proxy still has.
            Assert.True(after.Values.Sum() >= 12, $"{probe.Proxy} sent enough requests afterwards to tell: {Format(after)}");
        }
    }

    private static string VirtualService(string http) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: {{{KubernetesTraffic.Namespace}}}}
        spec:
          hosts: [reviews]
          http:
        {{{string.Concat(http.Split('\n').Select(line => "  " + line + "\n"))}}}
        """;

    private static Func<IReadOnlyDictionary<string, int>, bool> OnlyFrom(string pod) => answered => answered.Keys.SequenceEqual([pod]);

    /// <summary>Polls both proxies until each one's <paramref name="count"/> requests to the Service satisfy the condition.</summary>
    private async Task UntilBoth(string service, int count, IReadOnlyDictionary<string, string>? headers,
        Func<IReadOnlyDictionary<string, int>, bool> condition, string what)
    {
        await Timeouts.Until(async () => condition(await mesh.ThroughGrpc(service, count, headers)), Settle, $"grpc-js-xds: {what}");
        await Timeouts.Until(async () => condition(await mesh.ThroughSidecar(service, count, headers)), Settle, $"sidecar: {what}");
    }

    private async Task AssertBoth(string service, int count, IReadOnlyDictionary<string, string>? headers, string pod)
    {
        Assert.Equal(Format(new Dictionary<string, int> { [pod] = count }), Format(await mesh.ThroughGrpc(service, count, headers)));
        Assert.Equal(Format(new Dictionary<string, int> { [pod] = count }), Format(await mesh.ThroughSidecar(service, count, headers)));
    }

    private static string Format(IReadOnlyDictionary<string, int> answered) => string.Join(' ', answered.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}"));
}
