using System.Globalization;
using System.Net;
using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.ApiPolicy.ApiPolicyEdge;

namespace Mesh.Integration.Tests.ApiPolicy;

/// <summary>ApiPolicy enforced by real gateway processes, configured through a real control plane.</summary>
[Collection(ApiPolicyEdgeCollection.Name)]
public sealed class ApiPolicyTests(ApiPolicyEdge edge)
{
    private GatewayProcess First => edge.Gateways[0];

    [Fact]
    public async Task A_rate_limit_answers_429_with_the_headers_past_the_burst_and_recovers_after_the_fill_interval()
    {
        // Until the policy has reached the gateway: its bucket then runs out.
        HttpResponseMessage limited = null!;
        await Timeouts.Until(async () => (limited = await Send(First, "limited.example.com", "/")).StatusCode == HttpStatusCode.TooManyRequests,
            TimeSpan.FromSeconds(30), "the burst limit reaches the gateway");
        // Just past a fill, the bucket is full (3 tokens), and the next fill is a whole interval (3s) away.
        await Task.Delay(TimeSpan.FromSeconds(Reset(limited)) + TimeSpan.FromMilliseconds(200));

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++) responses.Add(limited = await Send(First, "limited.example.com", "/"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], responses.Select(r => r.StatusCode));
        // As Envoy's DRAFT_VERSION_03 headers: on every response the bucket counted, not only on the 429.
        Assert.Equal(["2", "1", "0"], responses.Take(3).Select(r => Header(r, "x-ratelimit-remaining")));
        Assert.All(responses.Take(3), r => Assert.Equal("3", Header(r, "x-ratelimit-limit")));
        Assert.Equal("3", Header(limited, "x-ratelimit-limit"));
        Assert.Equal("0", Header(limited, "x-ratelimit-remaining"));
        Assert.InRange(Reset(limited), 1, 3);
        await Task.Delay(TimeSpan.FromSeconds(Reset(limited)) + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await Send(First, "limited.example.com", "/")).StatusCode);
    }

    [Fact]
    public async Task A_cluster_limit_holds_across_two_gateway_replicas_within_one_lease_each()
    {
        // Each replica's own tenant shows the policy arrived (its cluster bucket runs out); the test's tenant is untouched.
        foreach (var gateway in edge.Gateways)
        {
            await Timeouts.Until(async () => (await Send(gateway, "cluster.example.com", "/", Tenant($"warmup-{gateway.Workload}"))).StatusCode == HttpStatusCode.TooManyRequests,
                TimeSpan.FromSeconds(60), $"the cluster limit reaches {gateway.Workload}");
        }

        var admittedBy = new int[2];
        for (var i = 0; i < 4 * ClusterLimit; i++)
        {
            var response = await Send(edge.Gateways[i % 2], "cluster.example.com", "/", Tenant("burst"));
            if (response.StatusCode == HttpStatusCode.OK) admittedBy[i % 2]++;
            else Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        // Lease L = 10% of the limit (2 of 20): at most N×L over, and as many under when leased tokens sit unused.
        var lease = (int)Math.Ceiling(ClusterLimit * 0.1);
        var admitted = admittedBy.Sum();
        Assert.InRange(admitted, ClusterLimit / 2, ClusterLimit + 2 * lease);
        Assert.All(admittedBy, count => Assert.True(count > 0, $"each replica admits from the shared bucket: {string.Join(", ", admittedBy)}"));
    }

    [Fact]
    public async Task The_lease_RPC_serves_gateways_only()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{edge.Silo.XdsPort}");
        var leases = new Mesh.Xds.Protos.ApiPolicy.RateLimitLeases.RateLimitLeasesClient(channel);
        Mesh.Xds.Protos.ApiPolicy.LeaseRequest Ask(string node) => new()
        {
            Bucket = "ApiPolicy/istio-system/lease-probe/probe", Key = "", Tokens = 1, MaxTokens = 10, TokensPerFill = 10,
            FillInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(1)), Node = node,
        };

        var sidecar = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await leases.LeaseAsync(Ask("sidecar~127.0.0.1~web-1.istio-system~istio-system.svc.cluster.local")));
        var otherNamespace = await leases.LeaseAsync(Ask("router~127.0.0.1~ingress-9.shop~shop.svc.cluster.local"));
        var granted = await leases.LeaseAsync(Ask("router~127.0.0.1~ingress-9.istio-system~istio-system.svc.cluster.local"));

        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, sidecar.StatusCode);
        Assert.Contains("is not a gateway", sidecar.Status.Detail, StringComparison.Ordinal);
        // A policy in an app's namespace limits its routes on whichever namespace's gateway serves them.
        Assert.Equal(1u, otherNamespace.Granted);
        Assert.Equal(1u, granted.Granted);
    }

    [Fact]
    public async Task An_API_key_names_its_consumer_in_the_access_log_and_metrics_and_a_wrong_key_is_401()
    {
        await Timeouts.Until(async () => (await Send(First, "keyed.example.com", "/", Key("wrong"))).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(30), "the API keys reach the gateway");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(First, "keyed.example.com", "/")).StatusCode);

        var response = await Send(First, "keyed.example.com", "/orders", Key(ApiKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Timeouts.Until(async () => File.Exists(edge.AccessLog(0)) && (await File.ReadAllTextAsync(edge.AccessLog(0))).Split('\n')
                .Any(line => line.Contains("\"consumer\":\"acme\"", StringComparison.Ordinal) && line.Contains("\"path\":\"/orders\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the access log names the consumer");
        Assert.Contains("consumer=\"acme\"", await First.Prometheus(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_in_the_deny_list_behind_a_trusted_proxy_is_403()
    {
        await Timeouts.Until(async () => (await Send(First, "guarded.example.com", "/", Forwarded("203.0.113.7"))).StatusCode == HttpStatusCode.Forbidden,
            TimeSpan.FromSeconds(30), "the IP deny list reaches the gateway");

        Assert.Equal(HttpStatusCode.OK, (await Send(First, "guarded.example.com", "/", Forwarded("198.51.100.1"))).StatusCode);
        // Only the entry the trusted hop appended counts: one the client wrote before it does not.
        Assert.Equal(HttpStatusCode.OK, (await Send(First, "guarded.example.com", "/", Forwarded("203.0.113.7, 198.51.100.1"))).StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        await Timeouts.Until(async () => (await Send(First, "small.example.com", "/upload", body: new StringContent(new string('x', 65)))).StatusCode == HttpStatusCode.RequestEntityTooLarge,
            TimeSpan.FromSeconds(30), "the body limit reaches the gateway");

        Assert.Equal(HttpStatusCode.OK, (await Send(First, "small.example.com", "/upload", body: new StringContent(new string('x', 64)))).StatusCode);
    }

    private static Action<HttpRequestMessage> Tenant(string tenant) => r => r.Headers.Add("x-tenant", tenant);

    private static Action<HttpRequestMessage> Key(string key) => r => r.Headers.Add("x-api-key", key);

    private static Action<HttpRequestMessage> Forwarded(string chain) => r => r.Headers.Add("x-forwarded-for", chain);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private static int Reset(HttpResponseMessage response) => int.Parse(Header(response, "x-ratelimit-reset") ?? "0", CultureInfo.InvariantCulture);
}
