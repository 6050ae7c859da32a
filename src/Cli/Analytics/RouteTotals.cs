using Mesh.Api.Telemetry;

namespace Mesh.Cli.Analytics;

/// <summary>What one route (and, when asked, one consumer) is counted by: the route name and the consumer or null.</summary>
public readonly record struct TrafficKey(string Route, string? Consumer);

/// <summary>One gateway's counters for one <see cref="TrafficKey"/> at one scrape, or the difference of two scrapes:
/// requests (and of them 4xx and 5xx), the duration histogram's cumulative buckets, and body bytes each way.</summary>
public sealed record RouteTotals
{
    public double Requests { get; init; }
    public double ClientErrors { get; init; }
    public double ServerErrors { get; init; }
    public double RequestBytes { get; init; }
    public double ResponseBytes { get; init; }
    /// <summary>Upper bound (<c>le</c>) → requests at most that long, as Prometheus buckets count (cumulative).</summary>
    public SortedDictionary<double, double> Buckets { get; init; } = [];

    /// <summary>Whether a series is one these totals are made of.</summary>
    public static bool Reads(string name) => name is GatewaySeries.Requests or DurationBuckets or RequestBytesSum or ResponseBytesSum;

    private const string DurationBuckets = GatewaySeries.Duration + "_bucket";
    private const string RequestBytesSum = GatewaySeries.RequestBytes + "_sum";
    private const string ResponseBytesSum = GatewaySeries.ResponseBytes + "_sum";

    /// <summary>Sums a gateway's request series by route (and consumer); series without a route label (a sidecar's)
    /// are not per-API traffic and are left out.</summary>
    public static Dictionary<TrafficKey, RouteTotals> Of(IEnumerable<Sample> samples, bool byConsumer)
    {
        var totals = new Dictionary<TrafficKey, Builder>();
        foreach (var sample in samples)
        {
            if (!sample.Labels.TryGetValue(GatewaySeries.Route, out var route)) continue;
            var key = new TrafficKey(route, byConsumer ? sample.Label(GatewaySeries.Consumer) : null);
            if (!totals.TryGetValue(key, out var total)) totals[key] = total = new Builder();
            total.Add(sample);
        }
        return totals.ToDictionary(t => t.Key, t => t.Value.Build());
    }

    /// <summary>What happened between two scrapes of one gateway. A counter that went down means the gateway
    /// restarted: as Prometheus' <c>rate</c> does, the later value is taken as the whole increase.</summary>
    public RouteTotals Since(RouteTotals? before)
    {
        if (before is null || Requests < before.Requests) return this;
        return new RouteTotals
        {
            Requests = Requests - before.Requests,
            ClientErrors = Math.Max(0, ClientErrors - before.ClientErrors),
            ServerErrors = Math.Max(0, ServerErrors - before.ServerErrors),
            RequestBytes = Math.Max(0, RequestBytes - before.RequestBytes),
            ResponseBytes = Math.Max(0, ResponseBytes - before.ResponseBytes),
            Buckets = new(Buckets.ToDictionary(b => b.Key, b => Math.Max(0, b.Value - before.Buckets.GetValueOrDefault(b.Key)))),
        };
    }

    public RouteTotals Plus(RouteTotals other)
    {
        var buckets = new SortedDictionary<double, double>(Buckets);
        foreach (var (le, count) in other.Buckets) buckets[le] = buckets.GetValueOrDefault(le) + count;
        return new RouteTotals
        {
            Requests = Requests + other.Requests,
            ClientErrors = ClientErrors + other.ClientErrors,
            ServerErrors = ServerErrors + other.ServerErrors,
            RequestBytes = RequestBytes + other.RequestBytes,
            ResponseBytes = ResponseBytes + other.ResponseBytes,
            Buckets = buckets,
        };
    }

    private sealed class Builder
    {
        private double _requests, _clientErrors, _serverErrors, _requestBytes, _responseBytes;
        private readonly SortedDictionary<double, double> _buckets = [];

        public void Add(Sample sample)
        {
            if (sample.Name == GatewaySeries.Requests)
            {
                _requests += sample.Value;
                var code = sample.Label(GatewaySeries.ResponseCode);
                if (code.StartsWith('4')) _clientErrors += sample.Value;
                else if (code.StartsWith('5')) _serverErrors += sample.Value;
            }
            else if (sample.Name == DurationBuckets && Bound(sample.Label("le")) is { } le)
            {
                _buckets[le] = _buckets.GetValueOrDefault(le) + sample.Value;
            }
            else if (sample.Name == RequestBytesSum) _requestBytes += sample.Value;
            else if (sample.Name == ResponseBytesSum) _responseBytes += sample.Value;
        }

        public RouteTotals Build() => new()
        {
            Requests = _requests, ClientErrors = _clientErrors, ServerErrors = _serverErrors,
            RequestBytes = _requestBytes, ResponseBytes = _responseBytes, Buckets = _buckets,
        };

        private static double? Bound(string le) => le is "+Inf" or "Inf" ? double.PositiveInfinity
            : double.TryParse(le, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
