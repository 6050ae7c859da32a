using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mesh.Sidecar;

/// <summary>Istio's standard metrics (<c>istio_requests_total</c>, <c>istio_request_duration_milliseconds</c>,
/// <c>istio_request_bytes</c>, <c>istio_response_bytes</c>) with Istio's labels, plus the sidecar's own: xDS updates
/// and reconnects, what applying an update costs, ejections and circuit-breaker overflows.</summary>
public sealed class SidecarMetrics : IDisposable
{
    public const string MeterName = "Mesh.Sidecar";
    public static readonly ActivitySource Tracing = new("Mesh.Sidecar");

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _requestBytes;
    private readonly Histogram<long> _responseBytes;
    private readonly Counter<long> _xdsUpdates;
    private readonly Counter<long> _xdsReconnects;
    private readonly Histogram<double> _xdsApplyDuration;
    private readonly Histogram<double> _xdsApplyCpu;
    private readonly Counter<long> _ejections;
    private readonly Counter<long> _overflows;
    private readonly Counter<long> _tcpOpened;
    private readonly Counter<long> _tcpClosed;
    private readonly Counter<long> _tcpSent;
    private readonly Counter<long> _tcpReceived;

    public SidecarMetrics()
    {
        // The Prometheus exporter adds _total to counters: the series is istio_requests_total.
        _requests = _meter.CreateCounter<long>("istio_requests", description: "Requests, by reporter, source, destination and response code");
        _duration = _meter.CreateHistogram<double>("istio_request_duration_milliseconds", description: "Request duration in milliseconds");
        _requestBytes = _meter.CreateHistogram<long>("istio_request_bytes", description: "Request body size in bytes");
        _responseBytes = _meter.CreateHistogram<long>("istio_response_bytes", description: "Response body size in bytes");
        _xdsUpdates = _meter.CreateCounter<long>("mesh_sidecar_xds_updates", description: "xDS responses applied (ACK) or rejected (NACK), by type");
        _xdsReconnects = _meter.CreateCounter<long>("mesh_sidecar_xds_reconnects", description: "xDS streams lost and retried");
        // The buckets go with the instrument (OpenTelemetry honours the advice), as the defaults stop being useful below 5 ms.
        var applyBuckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = ApplyBuckets };
        _xdsApplyDuration = _meter.CreateHistogram("mesh_sidecar_xds_apply_duration_seconds", unit: "s",
            description: "Time to apply an accepted xDS response (compile, and YARP taking the clusters), by type", tags: null, advice: applyBuckets);
        _xdsApplyCpu = _meter.CreateHistogram("mesh_sidecar_xds_apply_cpu_seconds", unit: "s",
            description: "CPU time of applying an accepted xDS response, on the applying thread, by type", tags: null, advice: applyBuckets);
        _ejections = _meter.CreateCounter<long>("mesh_sidecar_outlier_ejections", description: "Endpoints ejected by outlier detection, by cluster");
        _overflows = _meter.CreateCounter<long>("mesh_sidecar_circuit_breaker_overflows", description: "Requests refused by a circuit breaker, by cluster and limit");
        _tcpOpened = _meter.CreateCounter<long>("istio_tcp_connections_opened", description: "TCP connections proxied (a gateway's passthrough chains), by destination cluster");
        _tcpClosed = _meter.CreateCounter<long>("istio_tcp_connections_closed", description: "TCP connections proxied and closed, by destination cluster and response flags");
        _tcpSent = _meter.CreateCounter<long>("istio_tcp_sent_bytes", description: "Bytes sent to the client of a proxied TCP connection");
        _tcpReceived = _meter.CreateCounter<long>("istio_tcp_received_bytes", description: "Bytes received from the client of a proxied TCP connection");
    }

    public static IReadOnlyList<double> DurationBuckets { get; } = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000];

    /// <summary>Buckets for applying an update, from 10 µs (one resource) to 10 s (a whole mesh on a loaded machine).</summary>
    public static IReadOnlyList<double> ApplyBuckets { get; } = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10];

    public static IReadOnlyList<double> SizeBuckets { get; } = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000];

    public void Request(in TagList tags, double milliseconds, long requestBytes, long responseBytes)
    {
        _requests.Add(1, tags);
        _duration.Record(milliseconds, tags);
        _requestBytes.Record(requestBytes, tags);
        _responseBytes.Record(responseBytes, tags);
    }

    public void TcpOpened(string cluster) => _tcpOpened.Add(1, new KeyValuePair<string, object?>("destination_cluster", cluster));

    public void TcpClosed(string cluster, string flags, long received, long sent)
    {
        var tags = new TagList { { "reporter", "source" }, { "destination_cluster", cluster }, { "response_flags", flags } };
        _tcpClosed.Add(1, tags);
        _tcpReceived.Add(received, tags);
        _tcpSent.Add(sent, tags);
    }

    public void XdsUpdate(string type, bool accepted) => _xdsUpdates.Add(1, new("type", type), new("result", accepted ? "ack" : "nack"));

    public void XdsApplied(string type, TimeSpan duration, TimeSpan cpu)
    {
        var tag = new KeyValuePair<string, object?>("type", type);
        _xdsApplyDuration.Record(duration.TotalSeconds, tag);
        _xdsApplyCpu.Record(cpu.TotalSeconds, tag);
    }

    public void XdsReconnect() => _xdsReconnects.Add(1);

    public void Ejected(string cluster) => _ejections.Add(1, new KeyValuePair<string, object?>("cluster", cluster));

    public void Overflow(string cluster, string limit) => _overflows.Add(1, new("cluster", cluster), new("limit", limit));

    public void Dispose() => _meter.Dispose();
}
