using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>"Did my change reach the fleet?" answered by kubectl: a real mesh sidecar NACKs a DestinationRule applied
/// with kubectl, and the object's status shows it, with the proxy's own words, within a moment (the NACK is pushed
/// to the status writer, not polled); the fixed version clears it and counts the proxy as running it. An
/// AuthorizationPolicy counts the sidecars it selects by the labels in their node metadata.</summary>
public sealed class StatusTests(KubernetesSilo cluster, ITestOutputHelper output) : IClassFixture<KubernetesSilo>, IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);
    private readonly WorkDir _dir = new("kubernetes-status");
    private readonly HttpClient _api = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly HttpClient _app = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_sidecars_NACK_shows_in_kubectl_within_a_second_and_the_fixed_version_clears_it()
    {
        // Endpoints too: a service with none gives the sidecar no listener, and so no cluster to ask for.
        await cluster.Apply(Namespace + string.Join("\n---\n", Bookinfo.ServiceEntry("http", "HTTP"), Bookinfo.WorkloadEntry("v1", 19080, "http"),
            Bookinfo.WorkloadEntry("v2", 19081, "http"), Bookinfo.DestinationRule(["v1", "v2"])));
        await Until(async () => Reconciled(await Rule()) is ("True", _), "the DestinationRule Reconciled");
        using var sidecar = new SidecarProcess(_dir.Path, "client", cluster.Silo.XdsPort, "bookinfo", new Dictionary<string, string> { ["app"] = "client" }, null);
        await sidecar.WaitReady();
        var node = (await sidecar.Admin("/config_dump"))["node"]!.GetValue<string>();
        // The sidecar asks for a host's routes and clusters when the app first calls it (no backend answers: no matter).
        await Until(async () =>
        {
            await Call(sidecar);
            return (await Rule())["status"]?["fleet"]?["proxies"]?.GetValue<int>() == 1;
        }, "the sidecar counted in the rule's fleet");

        // credentialName names a Kubernetes Secret, which only gateways read: valid config (Istio accepts it too) that
        // a sidecar cannot run, and so refuses (the same case as SidecarTrafficTests).
        await cluster.Apply(Namespace + Bookinfo.DestinationRule(["v1", "v2"], """
              trafficPolicy:
                tls: {mode: SIMPLE, credentialName: reviews-client-cert}
            """));
        JsonNode? rejected = null;
        await Until(async () => (rejected = (await sidecar.Admin("/config_dump"))["last_rejected"]) is not null, "the sidecar's NACK");
        var nackedAt = DateTimeOffset.Parse(rejected!["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        // Read from the API server as often as it takes to see when the status lands.
        await Until(async () => (await Rule())["status"]?["fleet"]?["nacked"]?.GetValue<int>() == 1, "the NACK in the rule's status", poll: TimeSpan.FromMilliseconds(10));
        var latency = DateTimeOffset.UtcNow - nackedAt;
        output.WriteLine($"NACK -> status on the API server: {latency.TotalMilliseconds:0} ms");
        Assert.True(latency < TimeSpan.FromSeconds(2), $"the NACK took {latency.TotalMilliseconds:0} ms to reach the status (the safety poll is 10 s)");

        var json = JsonNode.Parse(await cluster.RunKubectl("", "get", "destinationrule.networking.istio.io", "reviews", "-n", "bookinfo", "-o", "json"))!;
        Assert.Equal(("False", "Rejected"), Reconciled(json));
        Assert.Equal(json["metadata"]!["generation"]!.GetValue<long>(), json["status"]!["observedGeneration"]!.GetValue<long>());
        var nack = json["status"]!["fleet"]!["nacks"]![0]!;
        Assert.Equal(node, nack["proxy"]!.GetValue<string>());
        Assert.Equal(rejected["error"]!.GetValue<string>(), nack["error"]!.GetValue<string>());
        Assert.Contains("credentialName", nack["error"]!.GetValue<string>());
        var yaml = await cluster.RunKubectl("", "get", "destinationrule.networking.istio.io", "reviews", "-n", "bookinfo", "-o", "yaml");
        Assert.Contains("reason: Rejected", yaml);
        Assert.Contains($"proxy: {node}", yaml);

        // Fixed: the NACK is gone, the proxy runs the new generation, and the condition says so at that generation.
        await cluster.Apply(Namespace + Bookinfo.DestinationRule(["v1", "v2", "v3"]));
        await Until(async () =>
        {
            var rule = await Rule();
            return Reconciled(rule) is ("True", "Accepted") && rule["status"]!["fleet"]!["running"]!.GetValue<int>() == 1;
        }, "the fixed rule Reconciled and running on the sidecar");
        var fixedRule = JsonNode.Parse(await cluster.RunKubectl("", "get", "destinationrule.networking.istio.io", "reviews", "-n", "bookinfo", "-o", "json"))!;
        Assert.Equal((0, 1, 1), (fixedRule["status"]!["fleet"]!["nacked"]!.GetValue<int>(), fixedRule["status"]!["fleet"]!["running"]!.GetValue<int>(),
            fixedRule["status"]!["fleet"]!["proxies"]!.GetValue<int>()));
        Assert.Null(fixedRule["status"]!["fleet"]!["nacks"]);
    }

    [Fact]
    public async Task An_AuthorizationPolicy_applied_with_kubectl_counts_the_sidecar_it_selects_as_running_it()
    {
        // An app port gives the sidecar its inbound listener, which the policy lands in.
        using var sidecar = new SidecarProcess(_dir.Path, "details-v1", cluster.Silo.XdsPort, "bookinfo", new Dictionary<string, string> { ["app"] = "details" }, FreePorts.Next());
        await sidecar.WaitReady();
        await cluster.Apply(Namespace + Policy("deny-delete", "details") + "\n---\n" + Policy("deny-delete-elsewhere", "nobody"));

        await Until(async () => Fleet(await Policy("deny-delete")) is (1, 1, 0), "the policy running on the sidecar it selects");
        await Until(async () => Reconciled(await Policy("deny-delete-elsewhere")) is ("True", _), "the other policy Reconciled");
        Assert.Equal((0, 0, 0), Fleet(await Policy("deny-delete-elsewhere")));
        var yaml = await cluster.RunKubectl("", "get", "authorizationpolicy.security.istio.io", "deny-delete", "-n", "bookinfo", "-o", "yaml");
        Assert.Contains("proxies: 1", yaml);
        Assert.Contains("running: 1", yaml);
    }

    private static string Policy(string name, string app) => $$"""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: {{name}}
          namespace: bookinfo
        spec:
          selector:
            matchLabels:
              app: {{app}}
          action: DENY
          rules:
          - to:
            - operation:
                methods: [DELETE]
        """;

    private async Task<JsonNode> Policy(string name) =>
        JsonNode.Parse(await _api.GetStringAsync(new Uri(cluster.Server.Url, $"apis/security.istio.io/v1/namespaces/bookinfo/authorizationpolicies/{name}")))!;

    /// <summary>The object's <c>status.fleet</c> as (proxies, running, nacked); null while it has none.</summary>
    private static (int, int, int)? Fleet(JsonNode resource) => resource["status"]?["fleet"] is { } fleet
        ? (fleet["proxies"]!.GetValue<int>(), fleet["running"]!.GetValue<int>(), fleet["nacked"]!.GetValue<int>())
        : null;

    private const string Namespace = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: bookinfo}
        ---

        """;

    private async Task Call(SidecarProcess sidecar)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{sidecar.OutboundPort}/");
        request.Headers.Host = "reviews:9080";
        using var response = await _app.SendAsync(request);
    }

    /// <summary>The rule as the API server holds it, read directly (kubectl costs a process per read).</summary>
    private async Task<JsonNode> Rule() =>
        JsonNode.Parse(await _api.GetStringAsync(new Uri(cluster.Server.Url, "apis/networking.istio.io/v1/namespaces/bookinfo/destinationrules/reviews")))!;

    /// <summary>The Reconciled condition's status and reason, when it is about the object's current generation.</summary>
    private static (string Status, string Reason)? Reconciled(JsonNode rule)
    {
        var condition = (rule["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Reconciled");
        if (condition?["observedGeneration"]?.GetValue<long>() != rule["metadata"]!["generation"]?.GetValue<long>()) return null;
        return (condition!["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>());
    }

    private static Task Until(Func<Task<bool>> condition, string what, TimeSpan? poll = null) => Timeouts.Until(condition, Settle, what, poll);

    public void Dispose()
    {
        _api.Dispose();
        _app.Dispose();
        _dir.Dispose();
    }
}
