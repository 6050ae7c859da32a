using System.Text.Json;

namespace Mesh.Integration.Tests.Xds;

/// <summary>What a run of calls saw: how many each backend answered, how many failed with each gRPC status code name.</summary>
public sealed record CallCounts(
    IReadOnlyDictionary<string, int> Backends,
    IReadOnlyDictionary<string, int> Errors,
    IReadOnlyList<string> ErrorTexts,
    TimeSpan Elapsed)
{
    public int Succeeded => Backends.Values.Sum();

    public int Failed => Errors.Values.Sum();

    public int Total => Succeeded + Failed;

    public int Answered(string backend) => Backends.GetValueOrDefault(backend);

    /// <summary>Calls that failed with this status code name ("UNAVAILABLE", "DEADLINE_EXCEEDED", ...).</summary>
    public int ErrorCount(string code) => Errors.GetValueOrDefault(code);

    /// <summary>Share of all calls, failed ones included, that this backend answered.</summary>
    public double Share(string backend) => Total == 0 ? 0 : (double)Answered(backend) / Total;

    /// <summary>Share of the answered calls that this backend answered.</summary>
    public double ShareOfAnswered(string backend) => Succeeded == 0 ? 0 : (double)Answered(backend) / Succeeded;

    public static CallCounts Parse(JsonElement reply) => new(
        Counts(reply.GetProperty("backends")),
        Counts(reply.GetProperty("errors")),
        reply.GetProperty("errorTexts").EnumerateArray().Select(e => e.GetString() ?? "").ToArray(),
        TimeSpan.FromMilliseconds(reply.GetProperty("elapsedMs").GetDouble()));

    /// <summary>For assertion messages: "v1=80 v2=20 | UNAVAILABLE=3 | 512 ms | first errors: ...".</summary>
    public override string ToString() =>
        $"{Format(Backends)} | {Format(Errors)} | {Elapsed.TotalMilliseconds:0} ms" +
        (ErrorTexts.Count > 0 ? " | first errors: " + string.Join(" || ", ErrorTexts) : "");

    private static Dictionary<string, int> Counts(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static string Format(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "-" : string.Join(' ', counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));
}

/// <summary>The reply to "until": whether the backend's share was reached within the time limit, and the counts on the way.</summary>
public sealed record UntilResult(bool Reached, CallCounts Counts)
{
    public static UntilResult Parse(JsonElement reply) => new(reply.GetProperty("reached").GetBoolean(), CallCounts.Parse(reply));

    public override string ToString() => $"{(Reached ? "reached" : "not reached")}: {Counts}";
}
