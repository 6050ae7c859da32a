using System.Globalization;
using System.Text.RegularExpressions;

namespace Mesh.Bench.SidecarReport;

/// <summary>One closed-loop run as fast as it goes: requests per second from h2load's summary, and the cores the
/// proxy used over the run (its CPU seconds over the wall time), so req/s per core compares proxies fairly.</summary>
public sealed partial record SaturationRun(string Key, string Protocol, string Label, string Proxy, double Rps,
    long Ok, long NotOk, double CoresUsed)
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
            // Requests still in flight when the run stops are started but not done: they count nowhere.
            var ok = Number(codes, "s2");
            var notOk = Number(requests, "done") - ok + Number(requests, "errored") + Number(requests, "timeout");
            return new SaturationRun(run["key"], run["proto"], run["label"], run["proxy"], rps, (long)ok, (long)notOk, cores);
        }).ToList();
    }

    private static double Number(Match match, string group) => match.Success
        ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture)
        : double.NaN;

    [GeneratedRegex(@"finished in [0-9.]+m?s, (?<rps>[0-9.]+) req/s")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, (?<done>\d+) done, \d+ succeeded, \d+ failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout")]
    private static partial Regex Requests();

    [GeneratedRegex(@"status codes: (?<s2>\d+) 2xx")]
    private static partial Regex StatusCodes();
}
