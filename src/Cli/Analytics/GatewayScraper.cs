namespace Mesh.Cli.Analytics;

/// <summary>Scrapes gateways' Prometheus metrics, all at once, into per-route totals. A gateway that cannot be
/// scraped is reported on stderr and left out, so one unreachable replica does not hide the others.</summary>
public sealed class GatewayScraper(bool byConsumer) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<Dictionary<string, Dictionary<TrafficKey, RouteTotals>>> ScrapeAll(IReadOnlyList<GatewayTarget> targets, CancellationToken cancellationToken)
    {
        var scrapes = await Task.WhenAll(targets.Select(async target => (target, totals: await Scrape(target, cancellationToken))));
        return scrapes.Where(s => s.totals is not null).ToDictionary(s => s.target.Name, s => s.totals!, StringComparer.Ordinal);
    }

    private async Task<Dictionary<TrafficKey, RouteTotals>?> Scrape(GatewayTarget target, CancellationToken cancellationToken)
    {
        try
        {
            var text = await _http.GetStringAsync(target.Url, cancellationToken);
            return RouteTotals.Of(PrometheusText.Parse(text, RouteTotals.Reads), byConsumer);
        }
        catch (Exception exception) when (exception is HttpRequestException or FormatException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(Output.TerminalText.Of($"warning: could not read the metrics of gateway {target.Name} at {target.Url}: {exception.Message}"));
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
