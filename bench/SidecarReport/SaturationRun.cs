using System.Globalization;
using System.Text.RegularExpressions;

namespace Mesh.Bench.SidecarReport;

/// <summary>One closed-loop run as fast as it goes: requests per second from h2load's summary, and the cores the
/// proxy used over the run (its CPU seconds over the wall time), so req/s per core compares proxies fairly.</summary>
public sealed partial record SaturationRun(string Key, string Protocol, string Label, string Proxy, double Rps,
    long Succeeded, long NotOk, double CoresUsed)
{
    public double RpsPerCore => CoresUsed > 0 ? Rps / CoresUsed : double.NaN;

    public static IReadOnlyList<SaturationRun> From(Manifest manifest)
    {
        var ticks = manifest.Meta.Number("clk_tck");
        return manifest.Of("sat").Select(run =>
        {
            var summary = File.ReadAllText(run["out"]);
            var rps = Number(Finished().Match(summary), "rps");
            var requests = Requests().Match(summary);
            var codes = StatusCodes().Match(summary);
            var cores = run["ticks"] == "-" ? double.NaN : run.Number("ticks") / ticks / run.Number("wall");
            var notOk = (long)(Number(requests, "failed") + Number(codes, "s3") + Number(codes, "s4") + Number(codes, "s5"));
            return new SaturationRun(run["key"], run["proto"], run["label"], run["proxy"], rps,
                (long)Number(requests, "succeeded"), notOk, cores);
        }).ToList();
    }

    private static double Number(Match match, string group) => match.Success
        ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture)
        : double.NaN;

    [GeneratedRegex(@"finished in [0-9.]+m?s, (?<rps>[0-9.]+) req/s")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed")]
    private static partial Regex Requests();

    [GeneratedRegex(@"status codes: \d+ 2xx, (?<s3>\d+) 3xx, (?<s4>\d+) 4xx, (?<s5>\d+) 5xx")]
    private static partial Regex StatusCodes();
}
