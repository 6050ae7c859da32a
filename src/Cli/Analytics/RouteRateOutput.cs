using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.Config.Manifests;

namespace Mesh.Cli.Analytics;

/// <summary>How <c>meshctl top routes</c> prints its rows: a table (rates rounded for reading) or JSON (as measured).</summary>
public static class RouteRateOutput
{
    public static string Table(IReadOnlyList<RouteRate> rows, bool byConsumer)
    {
        IReadOnlyList<string> headers = byConsumer
            ? ["ROUTE", "CONSUMER", "GATEWAYS", "RPS", "4XX%", "5XX%", "P50(MS)", "P99(MS)", "IN(B/S)", "OUT(B/S)"]
            : ["ROUTE", "GATEWAYS", "RPS", "4XX%", "5XX%", "P50(MS)", "P99(MS)", "IN(B/S)", "OUT(B/S)"];
        return Output.Table.Render(headers, rows.Select(r => (IReadOnlyList<string>)[
            r.Route,
            .. byConsumer ? [r.Consumer ?? ""] : Array.Empty<string>(),
            string.Join(',', r.Gateways),
            Number(r.RequestsPerSecond, 1),
            Number(r.ClientErrorPercent, 1),
            Number(r.ServerErrorPercent, 1),
            r.P50Milliseconds is { } p50 ? Number(p50, 1) : "-",
            r.P99Milliseconds is { } p99 ? Number(p99, 1) : "-",
            Number(r.RequestBytesPerSecond, 0),
            Number(r.ResponseBytesPerSecond, 0),
        ]));
    }

    public static string Json(IReadOnlyList<RouteRate> rows, IReadOnlyList<string> gateways, double seconds, bool byConsumer)
    {
        var routes = new JsonArray();
        foreach (var r in rows)
        {
            var row = new JsonObject { ["route"] = r.Route };
            if (byConsumer) row["consumer"] = r.Consumer;
            row["gateways"] = new JsonArray([.. r.Gateways.Select(g => JsonValue.Create(g))]);
            row["requests"] = r.Requests;
            row["rps"] = r.RequestsPerSecond;
            row["clientErrorPercent"] = r.ClientErrorPercent;
            row["serverErrorPercent"] = r.ServerErrorPercent;
            row["p50Ms"] = r.P50Milliseconds;
            row["p99Ms"] = r.P99Milliseconds;
            row["requestBytesPerSecond"] = r.RequestBytesPerSecond;
            row["responseBytesPerSecond"] = r.ResponseBytesPerSecond;
            routes.Add(row);
        }
        var document = new JsonObject
        {
            ["intervalSeconds"] = seconds,
            ["gateways"] = new JsonArray([.. gateways.Select(g => JsonValue.Create(g))]),
            ["routes"] = routes,
        };
        return ManifestWriter.ToJson(document) + "\n";
    }

    private static string Number(double value, int decimals) => Math.Round(value, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
}
