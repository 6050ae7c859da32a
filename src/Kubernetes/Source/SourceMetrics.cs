using System.Diagnostics.Metrics;

namespace Mesh.Kubernetes.Source;

/// <summary>The Kubernetes source's instruments (meter <see cref="MeterName"/>), each tagged with the resource.</summary>
public sealed class SourceMetrics
{
    public const string MeterName = "Mesh.Kubernetes";

    private readonly Counter<long> _events;
    private readonly Counter<long> _relists;
    private readonly Counter<long> _gone;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _syncDuration;
    private readonly Counter<long> _leaderChanges;

    public SourceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _events = meter.CreateCounter<long>("mesh.kubernetes.watch.events", "{event}", "Watch events received, by resource and type");
        _relists = meter.CreateCounter<long>("mesh.kubernetes.relists", "{list}", "Full lists of a resource (the first one and each after a 410)");
        _gone = meter.CreateCounter<long>("mesh.kubernetes.gone", "{response}", "410 Gone answers (the watch's history had expired)");
        _errors = meter.CreateCounter<long>("mesh.kubernetes.watch.errors", "{error}", "Failed lists and watches, retried after a back-off");
        _syncDuration = meter.CreateHistogram<double>("mesh.kubernetes.sync.duration", "s", "Time to write one batch of changes into the config grains");
        _leaderChanges = meter.CreateCounter<long>("mesh.kubernetes.leader.changes", "{change}", "This silo started or stopped being the source's leader");
    }

    public void Event(ApiResource resource, string type) => _events.Add(1, Tag(resource), new("type", type));

    public void Relisted(ApiResource resource) => _relists.Add(1, Tag(resource));

    public void Gone(ApiResource resource) => _gone.Add(1, Tag(resource));

    public void Failed(ApiResource resource) => _errors.Add(1, Tag(resource));

    public void Synced(TimeSpan duration) => _syncDuration.Record(duration.TotalSeconds);

    public void LeaderChanged(bool leading) => _leaderChanges.Add(1, new KeyValuePair<string, object?>("leading", leading));

    private static KeyValuePair<string, object?> Tag(ApiResource resource) => new("resource", resource.ToString());
}
