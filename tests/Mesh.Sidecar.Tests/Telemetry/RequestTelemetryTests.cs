using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy;
using Mesh.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Telemetry;

public sealed class RequestTelemetryTests : IDisposable
{
    private readonly string _workload = $"telemetry-{Guid.NewGuid():N}";
    private readonly string _log = Path.Combine(Path.GetTempPath(), $"access-{Guid.NewGuid():N}.log");
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    public RequestTelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SidecarMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var tag in tags) all[tag.Key] = tag.Value;
        // Other tests' sidecars share the meter's name: only this test's workload counts.
        if (!Equals(all.GetValueOrDefault("source_workload"), _workload)) return;
        lock (_measurements) _measurements.Add((instrument.Name, value, all));
    }

    private async Task<HttpContext> Serve(ProxyMode mode, string? route, string? consumer, byte[] requestBody, int responseBytes, AccessLog? log = null)
    {
        var options = new SidecarOptions { XdsServers = ["127.0.0.1:1"], Workload = _workload, Mode = mode };
        var telemetry = new RequestTelemetry(options, new SidecarMetrics(), log ?? new AccessLog("off"));
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/orders";
        context.Request.Host = new HostString("api.example.com");
        // Chunked: no Content-Length, the body is only known by reading it.
        context.Request.Body = new MemoryStream(requestBody);
        context.Response.Body = new MemoryStream();
        await telemetry.Run(context, outbound: true, async c =>
        {
            if (route is not null) c.Items[RequestItems.Route] = route;
            if (consumer is not null) c.Items[RequestItems.Consumer] = consumer;
            await c.Request.Body.CopyToAsync(Stream.Null);
            c.Response.StatusCode = 201;
            await c.Response.Body.WriteAsync(new byte[responseBytes]);
        });
        return context;
    }

    private (double Value, Dictionary<string, object?> Tags) Single(string instrument)
    {
        lock (_measurements) return Assert.Single(_measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)));
    }

    [Fact]
    public async Task A_gateway_labels_its_request_series_with_the_route_and_consumer_and_measures_real_body_sizes()
    {
        await Serve(ProxyMode.Gateway, "shop.api.0", "acme", new byte[1234], 567);

        foreach (var instrument in new[] { "istio_requests", "istio_request_duration_milliseconds", "istio_request_bytes", "istio_response_bytes" })
        {
            var (_, tags) = Single(instrument);
            Assert.Equal("shop.api.0", tags["route_name"]);
            Assert.Equal("acme", tags["consumer"]);
            Assert.Equal("201", tags["response_code"]);
        }
        Assert.Equal(1234, Single("istio_request_bytes").Value);
        Assert.Equal(567, Single("istio_response_bytes").Value);
    }

    [Fact]
    public async Task A_gateway_request_without_a_route_or_key_is_labelled_unknown()
    {
        await Serve(ProxyMode.Gateway, route: null, consumer: null, [], 0);

        var (_, tags) = Single("istio_requests");
        Assert.Equal("unknown", tags["route_name"]);
        Assert.Equal("unknown", tags["consumer"]);
    }

    [Fact]
    public async Task A_sidecar_keeps_Istio_labels_only()
    {
        await Serve(ProxyMode.Sidecar, "reviews.bookinfo.0", consumer: null, new byte[10], 5);

        var (_, tags) = Single("istio_requests");
        Assert.False(tags.ContainsKey("route_name"));
        Assert.False(tags.ContainsKey("consumer"));
        Assert.Equal("source", tags["reporter"]);
    }

    [Fact]
    public async Task A_gateway_access_log_line_names_the_route_and_the_consumer_even_when_there_is_none()
    {
        var log = new AccessLog(_log);
        await log.StartAsync(CancellationToken.None);
        await Serve(ProxyMode.Gateway, "shop.api.0", "acme", new byte[3], 4, log);
        await Serve(ProxyMode.Gateway, "shop.api.1", consumer: null, [], 0, log);

        var lines = await Lines(2);
        await log.StopAsync(CancellationToken.None);
        Assert.Equal(("shop.api.0", "acme"), (lines[0].GetProperty("route_name").GetString(), lines[0].GetProperty("consumer").GetString()));
        Assert.Equal(3, lines[0].GetProperty("bytes_received").GetInt64());
        Assert.Equal("shop.api.1", lines[1].GetProperty("route_name").GetString());
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("consumer").ValueKind);
    }

    private async Task<List<JsonElement>> Lines(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var text = "";
            if (File.Exists(_log))
            {
                // The log holds the file open for writing.
                await using var file = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                text = await new StreamReader(file, Encoding.UTF8).ReadToEndAsync();
            }
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length >= count) return [.. lines.Select(l => JsonDocument.Parse(l).RootElement)];
            await Task.Delay(50);
        }
        throw new TimeoutException($"{count} access-log lines were not written to {_log}");
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_log);
    }
}
