namespace Mesh.Cli.Analytics;

/// <summary>One row of <c>meshctl top routes</c>: a route's (and consumer's) traffic per second over the interval
/// between two scrapes, summed over the gateways that served it.</summary>
public sealed record RouteRate(
    string Route,
    string? Consumer,
    IReadOnlyList<string> Gateways,
    double Requests,
    double RequestsPerSecond,
    double ClientErrorPercent,
    double ServerErrorPercent,
    double? P50Milliseconds,
    double? P99Milliseconds,
    double RequestBytesPerSecond,
    double ResponseBytesPerSecond)
{
    /// <summary>The rows, busiest first (then by route and consumer), of the routes that served requests between
    /// <paramref name="before"/> and <paramref name="after"/>, per gateway name, <paramref name="seconds"/> apart.</summary>
    public static List<RouteRate> Between(
        IReadOnlyDictionary<string, Dictionary<TrafficKey, RouteTotals>> before,
        IReadOnlyDictionary<string, Dictionary<TrafficKey, RouteTotals>> after,
        double seconds)
    {
        var sums = new Dictionary<TrafficKey, (RouteTotals Totals, SortedSet<string> Gateways)>();
        foreach (var (gateway, totals) in after)
        {
            var earlier = before.GetValueOrDefault(gateway);
            foreach (var (key, now) in totals)
            {
                var delta = now.Since(earlier?.GetValueOrDefault(key));
                if (delta.Requests <= 0) continue;
                var sum = sums.TryGetValue(key, out var known) ? known : (Totals: new RouteTotals(), Gateways: new SortedSet<string>(StringComparer.Ordinal));
                sum.Gateways.Add(gateway);
                sums[key] = (sum.Totals.Plus(delta), sum.Gateways);
            }
        }
        return [.. sums
            .Select(s => Of(s.Key, s.Value.Totals, [.. s.Value.Gateways], seconds))
            .OrderByDescending(r => r.RequestsPerSecond)
            .ThenBy(r => r.Route, StringComparer.Ordinal)
            .ThenBy(r => r.Consumer, StringComparer.Ordinal)];
    }

    private static RouteRate Of(TrafficKey key, RouteTotals delta, IReadOnlyList<string> gateways, double seconds) => new(
        key.Route,
        key.Consumer,
        gateways,
        delta.Requests,
        delta.Requests / seconds,
        100 * delta.ClientErrors / delta.Requests,
        100 * delta.ServerErrors / delta.Requests,
        HistogramQuantile.Of(0.5, delta.Buckets),
        HistogramQuantile.Of(0.99, delta.Buckets),
        delta.RequestBytes / seconds,
        delta.ResponseBytes / seconds);
}
