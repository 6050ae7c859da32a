using System.CommandLine;
using System.Diagnostics;
using Mesh.Api.V1;
using Mesh.Cli.Analytics;
using Mesh.Cli.Input;
using Mesh.Config.Text;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl top routes</c>: the gateways' busiest routes right now, from two scrapes of their Prometheus
/// metrics an interval apart (per-API analytics; the series and labels are <see cref="Api.Telemetry.GatewaySeries"/>).</summary>
public static class TopCommand
{
    public static Command Create()
    {
        var top = new Command("top", "Show the busiest routes at the gateways, from their metrics");
        top.Subcommands.Add(Routes());
        return top;
    }

    private static Command Routes()
    {
        var gateways = new Option<string[]>("--gateway")
        {
            Description = "scrape this gateway's metrics URL (http://HOST:PORT[/stats/prometheus]) instead of the gateways proxy-status lists; repeatable",
        };
        var interval = new Option<string>("--interval") { Description = "time between the two scrapes (default 2s)", DefaultValueFactory = _ => "2s" };
        var by = new Option<string?>("--by") { Description = "also break each route down by: consumer (the ApiPolicy API key's)" };
        by.AcceptOnlyFromAmong("consumer");
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json" };
        output.AcceptOnlyFromAmong("table", "json");
        var command = new Command("routes",
            "Routes by requests per second over the interval, summed over the gateways: 4xx and 5xx share, latency P50/P99 "
            + "(estimated from the duration histogram's buckets, as Prometheus' histogram_quantile does), body bytes in and out per second")
        {
            gateways, interval, by, output,
        };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            if (!GoDuration.TryParse(parse.GetValue(interval) ?? "2s", out var wait, out var problem) || wait <= TimeSpan.Zero)
            {
                throw new UsageException($"--interval: {(problem.Length > 0 ? problem : "must be more than 0")}");
            }
            var byConsumer = parse.GetValue(by) == "consumer";
            var targets = parse.GetValue(gateways) is { Length: > 0 } urls
                ? urls.Select(GatewayTarget.FromUrl).ToList()
                : await Connected(parse, cancellationToken);
            using var scraper = new GatewayScraper(byConsumer);
            var started = Stopwatch.GetTimestamp();
            var before = await scraper.ScrapeAll(targets, cancellationToken);
            if (before.Count == 0) throw new IOException("no gateway could be scraped (see above)");
            await Task.Delay(wait, cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var after = await scraper.ScrapeAll([.. targets.Where(t => before.ContainsKey(t.Name))], cancellationToken);
            if (after.Count == 0) throw new IOException("no gateway could be scraped the second time (see above)");
            var rows = RouteRate.Between(before, after, seconds);
            if (parse.GetValue(output) == "json")
            {
                Console.Write(RouteRateOutput.Json(rows, [.. after.Keys], seconds, byConsumer));
                return 0;
            }
            if (rows.Count == 0)
            {
                await Console.Error.WriteLineAsync($"No requests through {string.Join(", ", after.Keys)} in the last {seconds:0.#}s.");
                return 0;
            }
            Console.Write(RouteRateOutput.Table(rows, byConsumer));
            return 0;
        }));
        return command;
    }

    /// <summary>The connected gateways (router nodes) that said where their metrics are.</summary>
    private static async Task<List<GatewayTarget>> Connected(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = GlobalOptions.Connect(parse);
        var status = await connection.Api.ProxyStatusAsync(new ProxyStatusRequest(), connection.Call(cancellationToken));
        var targets = status.Proxies.Select(GatewayTarget.FromProxy).OfType<GatewayTarget>().ToList();
        if (targets.Count == 0) throw new IOException("no gateways connected (meshctl proxy-status lists router~ nodes); pass --gateway URL");
        return targets;
    }
}
