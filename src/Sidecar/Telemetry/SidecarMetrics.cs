using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mesh.Sidecar;

/// <summary>Istio's standard metrics (<c>istio_requests_total</c>, <c>istio_request_duration_milliseconds</c>,
/// <c>istio_request_bytes</c>, <c>istio_response_bytes</c>) with Istio's labels, plus the sidecar's own: xDS updates
/// and reconnects, ejections and circuit-breaker overflows.</summary>
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
    private readonly Counter<long> _ejections;
    private readonly Counter<long> _overflows;

    public SidecarMetrics()
    {
        // The Prometheus exporter adds _total to counters: the series is istio_requests_total.
        _requests = _meter.CreateCounter<long>("istio_requests", description: "Requests, by reporter, source, destination and response code");
        _duration = _meter.CreateHistogram<double>("istio_request_duration_milliseconds", description: "Request duration in milliseconds");
        _requestBytes = _meter.CreateHistogram<long>("istio_request_bytes", description: "Request body size in bytes");
        _responseBytes = _meter.CreateHistogram<long>("istio_response_bytes", description: "Response body size in bytes");
        _xdsUpdates = _meter.CreateCounter<long>("mesh_sidecar_xds_updates", description: "xDS responses applied (ACK) or rejected (NACK), by type");
        _xdsReconnects = _meter.CreateCounter<long>("mesh_sidecar_xds_reconnects", description: "xDS streams lost and retried");
        _ejections = _meter.CreateCounter<long>("mesh_sidecar_outlier_ejections", description: "Endpoints ejected by outlier detection, by cluster");
        _overflows = _meter.CreateCounter<long>("mesh_sidecar_circuit_breaker_overflows", description: "Requests refused by a circuit breaker, by cluster and limit");
    }

    public static IReadOnlyList<double> DurationBuckets { get; } = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000];

    public static IReadOnlyList<double> SizeBuckets { get; } = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000];

    public void Request(in TagList tags, double milliseconds, long requestBytes, long responseBytes)
    {
        _requests.Add(1, tags);
        _duration.Record(milliseconds, tags);
        _requestBytes.Record(requestBytes, tags);
        _responseBytes.Record(responseBytes, tags);
    }

    public void XdsUpdate(string type, bool accepted) => _xdsUpdates.Add(1, new("type", type), new("result", accepted ? "ack" : "nack"));

    public void XdsReconnect() => _xdsReconnects.Add(1);

    public void Ejected(string cluster) => _ejections.Add(1, new KeyValuePair<string, object?>("cluster", cluster));

    public void Overflow(string cluster, string limit) => _overflows.Add(1, new("cluster", cluster), new("limit", limit));

    public void Dispose() => _meter.Dispose();
}
