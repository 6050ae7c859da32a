using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mesh.Xds;

/// <summary>The xDS front-end's instruments (meter and activity source <c>Mesh.Xds</c>).</summary>
public sealed class XdsMetrics : IDisposable
{
    public const string Name = "Mesh.Xds";
    public static readonly ActivitySource Activities = new(Name);

    private readonly Meter _meter = new(Name);
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _nacks;
    private readonly Histogram<double> _convergence;
    private int _streams;

    public XdsMetrics()
    {
        _pushes = _meter.CreateCounter<long>("mesh.xds.pushes", description: "xDS responses sent, by type");
        _bytes = _meter.CreateCounter<long>("mesh.xds.pushed", unit: "By", description: "Bytes of xDS responses sent, by type");
        _nacks = _meter.CreateCounter<long>("mesh.xds.nacks", description: "Responses proxies rejected, by type");
        _convergence = _meter.CreateHistogram<double>("mesh.xds.convergence", unit: "s", description: "From a change accepted to the proxy's ACK of it");
        _meter.CreateObservableGauge("mesh.xds.proxies", () => Volatile.Read(ref _streams), description: "Connected xDS streams on this silo");
    }

    /// <summary>A span for one push, linked to the trace of the change that caused it (a config apply, say).</summary>
    public static Activity? StartPush(Cache.ChangeOrigin? origin)
    {
        ActivityLink[]? links = origin?.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var context)
            ? [new ActivityLink(context)]
            : null;
        return Activities.StartActivity(ActivityKind.Internal, parentContext: default, links: links, name: "xds.push");
    }

    public void StreamOpened() => Interlocked.Increment(ref _streams);

    public void StreamClosed() => Interlocked.Decrement(ref _streams);

    public void Pushed(string type, int bytes)
    {
        var tag = new KeyValuePair<string, object?>("type", type);
        _pushes.Add(1, tag);
        _bytes.Add(bytes, tag);
    }

    public void Nacked(string type) => _nacks.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Converged(string type, TimeSpan elapsed) => _convergence.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("type", type));

    public void Dispose() => _meter.Dispose();
}
