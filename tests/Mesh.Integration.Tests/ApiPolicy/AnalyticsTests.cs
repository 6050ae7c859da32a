using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.ApiPolicy.ApiPolicyEdge;

namespace Mesh.Integration.Tests.ApiPolicy;

/// <summary>Per-API analytics at real gateways: request series by route, consumer and status with real body sizes,
/// and <c>meshctl top routes</c> finding the gateways through proxy-status and ranking their routes.</summary>
[Collection(ApiPolicyEdgeCollection.Name)]
public sealed partial class AnalyticsTests(ApiPolicyEdge edge)
{
    private const string Host = "analytics.example.com";
    private const string Unnamed = "shop.analytics.1";
    private GatewayProcess First => edge.Gateways[0];

    private static Action<HttpRequestMessage> Key(string key) => request => request.Headers.Add("x-api-key", key);

    private async Task Ready()
    {
        foreach (var gateway in edge.Gateways)
        {
            await Timeouts.Until(async () => (await Send(gateway, Host, "/status/200", Key(ApiKey))).StatusCode == HttpStatusCode.OK
                    && (await Send(gateway, Host, "/status/200")).StatusCode == HttpStatusCode.Unauthorized,
                TimeSpan.FromSeconds(30), $"{gateway.Workload} serves {Host} behind API keys");
        }
    }

    [Fact]
    public async Task Requests_are_counted_by_route_consumer_and_status_with_their_latency_and_real_body_sizes()
    {
        await Ready();
        var before = await Series(First);
        long responseBytes = 0;
        for (var i = 0; i < 10; i++)
        {
            // Chunked: the gateway counts the body it reads, not a Content-Length.
            var response = await Send(First, Host, "/echo", request =>
            {
                Key(ApiKey)(request);
                request.Headers.TransferEncodingChunked = true;
            }, new ByteArrayContent(new byte[100]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            responseBytes += (await response.Content.ReadAsByteArrayAsync()).Length;
        }
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.InternalServerError, (await Send(First, Host, "/status/500", Key(ApiKey))).StatusCode);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.NotFound, (await Send(First, Host, "/status/404", Key(ApiKey))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(First, Host, "/echo", body: new ByteArrayContent(new byte[5]))).StatusCode);

        var echo = Labels("echo", "acme", "200");
        IReadOnlyList<Sample> after = [];
        await Timeouts.Until(async () => Delta(before, after = await Series(First), "istio_requests_total", Labels("echo", "unknown", "401")) == 1
                && Delta(before, after, "istio_requests_total", echo) == 10,
            TimeSpan.FromSeconds(10), "the gateway's metrics count the requests");
        Assert.Equal(3, Delta(before, after, "istio_requests_total", Labels(Unnamed, "acme", "500")));
        Assert.Equal(2, Delta(before, after, "istio_requests_total", Labels(Unnamed, "acme", "404")));
        Assert.Equal(10, Delta(before, after, "istio_request_duration_milliseconds_count", echo));
        Assert.Equal(10, Delta(before, after, "istio_request_duration_milliseconds_bucket", new(echo) { ["le"] = "+Inf" }));
        Assert.Equal(1000, Delta(before, after, "istio_request_bytes_sum", echo));
        Assert.Equal(responseBytes, Delta(before, after, "istio_response_bytes_sum", echo));
        Assert.Equal(10, Delta(before, after, "istio_response_bytes_count", echo));
    }

    [Fact]
    public async Task Meshctl_top_routes_finds_the_gateways_and_ranks_the_busiest_route_with_its_error_rate()
    {
        await Ready();
        using var stop = new CancellationTokenSource();
        // Through both replicas: the unnamed route four times as often as /echo, one request in four there a 500.
        var load = Task.WhenAll(edge.Gateways.Select(gateway => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var path in new[] { "/status/200", "/status/200", "/status/500", "/status/200" })
                {
                    await Send(gateway, Host, path, Key(ApiKey));
                }
                await Send(gateway, Host, "/echo", Key(ApiKey), new ByteArrayContent(new byte[10]));
            }
        })));
        await Task.Delay(500);

        Meshctl.Result top;
        try
        {
            top = await Meshctl.Run(edge.Silo.ApiUrl, "top", "routes", "--interval", "3s", "-o", "json");
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        Assert.True(top.ExitCode == 0, top.ToString());
        var json = JsonNode.Parse(top.Stdout)!;
        Assert.Equal(["ingress-0.istio-system", "ingress-1.istio-system"], json["gateways"]!.AsArray().Select(g => g!.GetValue<string>()));
        var busiest = json["routes"]![0]!;
        Assert.Equal(Unnamed, busiest["route"]!.GetValue<string>());
        Assert.Equal(["ingress-0.istio-system", "ingress-1.istio-system"], busiest["gateways"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.InRange(busiest["serverErrorPercent"]!.GetValue<double>(), 20, 30);
        Assert.Equal(0, busiest["clientErrorPercent"]!.GetValue<double>());
        Assert.True(busiest["p99Ms"]!.GetValue<double>() > 0, top.Stdout);
        var echo = json["routes"]!.AsArray().Single(r => r!["route"]!.GetValue<string>() == "echo")!;
        Assert.InRange(echo["rps"]!.GetValue<double>() * 4, busiest["rps"]!.GetValue<double>() * 0.8, busiest["rps"]!.GetValue<double>() * 1.2);
        Assert.True(echo["requestBytesPerSecond"]!.GetValue<double>() > 0, top.Stdout);
    }

    [Fact]
    public async Task Meshctl_top_routes_says_what_to_do_when_a_gateway_cannot_be_scraped()
    {
        var top = await Meshctl.Run(edge.Silo.ApiUrl, "top", "routes", "--interval", "100ms", "--gateway", $"http://127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(1, top.ExitCode);
        Assert.Contains("could not read the metrics of gateway", top.Stderr, StringComparison.Ordinal);
        Assert.Contains("no gateway could be scraped", top.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Labels(string route, string consumer, string status) =>
        new() { ["route_name"] = route, ["consumer"] = consumer, ["response_code"] = status };

    /// <summary>One sample of the text format; enough of it to find a series by some of its labels.</summary>
    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    private static async Task<IReadOnlyList<Sample>> Series(GatewayProcess gateway) =>
        [.. (await gateway.Prometheus()).Split('\n').Select(line => SampleLine().Match(line)).Where(m => m.Success).Select(m => new Sample(
            m.Groups["name"].Value,
            LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))];

    /// <summary>How much the series of <paramref name="name"/> with <paramref name="labels"/> (summed over the rest) grew.</summary>
    private static double Delta(IReadOnlyList<Sample> before, IReadOnlyList<Sample> after, string name, Dictionary<string, string> labels)
    {
        double Sum(IReadOnlyList<Sample> samples) => samples
            .Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value))
            .Sum(s => s.Value);
        return Sum(after) - Sum(before);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][\w:]*)\{(?<labels>.*)\} (?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(\w+)=""([^""]*)""")]
    private static partial Regex LabelPair();
}
