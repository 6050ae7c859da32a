using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mesh.Silo.Monitoring;

/// <summary>The control plane's own instruments (meter <c>Mesh.ControlPlane</c>).</summary>
public sealed class MeshMetrics : IDisposable
{
    public const string MeterName = "Mesh.ControlPlane";
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, long> _resources = new();

    public MeshMetrics()
    {
        _requests = _meter.CreateCounter<long>("mesh.api.requests", description: "Management API requests by method and gRPC status");
        _duration = _meter.CreateHistogram<double>("mesh.api.request.duration", unit: "s", description: "Management API request latency");
        _meter.CreateObservableGauge("mesh.config.resources", ObserveResources, description: "Stored config resources by kind");
    }

    public void RecordRequest(string method, string status, TimeSpan elapsed)
    {
        var tags = new TagList { { "method", method }, { "status", status } };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    public void SetResourceCount(string kind, long count) => _resources[kind] = count;

    private IEnumerable<Measurement<long>> ObserveResources() =>
        _resources.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("kind", pair.Key)));

    public void Dispose() => _meter.Dispose();
}
