using System.Globalization;

namespace Mesh.Bench.KubeLoad;

/// <summary>The samples as bench/README.md's table: per change and mode, the Kubernetes path's row, then the
/// reference's, with the kube/reference ratio of the end-to-end p50 and p99 on the Kubernetes row. The ratio is taken
/// end to end because the management API answers an apply only after its push has gone out (the xDS client often
/// holds the change before the apply returns), while the API server answers as soon as it stored the object.</summary>
public static class MarkdownReport
{
    public const string Header = """
        | change | mode | path | n (missed) | write p50 ms | write start → xDS client: p50 / p90 / p99 / max ms | write returned → xDS client: p50 / p99 ms | kube / reference p50, p99 |
        |---|---|---|---|---|---|---|---|
        """;

    public static IEnumerable<string> Rows(IReadOnlyList<Sample> samples, string kube, string reference)
    {
        foreach (var group in samples.GroupBy(s => (s.Change, s.Mode)))
        {
            var kubeSeen = EndToEnd(group, kube);
            var referenceSeen = EndToEnd(group, reference);
            yield return Row(group, kube, $"{Ratio(kubeSeen[0.5], referenceSeen[0.5])}, {Ratio(kubeSeen[0.99], referenceSeen[0.99])}");
            yield return Row(group, reference, "-");
        }
    }

    private static string Row(IEnumerable<Sample> group, string path, string ratio)
    {
        var mine = group.Where(s => s.Path == path).ToList();
        var endToEnd = EndToEnd(mine, path);
        var afterWrite = new Percentiles(mine.Select(s => s.AfterWriteMs).OfType<double>());
        var write = new Percentiles(mine.Select(s => s.WriteMs));
        var first = mine[0];
        return $"| {first.Change} | {first.Mode} | {path} | {mine.Count} ({mine.Count - endToEnd.Count}) | {write[0.5].ToString("0.0", CultureInfo.InvariantCulture)} "
            + $"| {Ms(endToEnd[0.5])} / {Ms(endToEnd[0.9])} / {Ms(endToEnd[0.99])} / {Ms(endToEnd.Max)} | {Ms(afterWrite[0.5])} / {Ms(afterWrite[0.99])} | {ratio} |";
    }

    private static Percentiles EndToEnd(IEnumerable<Sample> samples, string path) =>
        new(samples.Where(s => s.Path == path).Select(s => s.EndToEndMs).OfType<double>());

    private static string Ratio(double kube, double reference) =>
        reference > 0 ? (kube / reference).ToString("0.0", CultureInfo.InvariantCulture) + "×" : "-";

    // + 0.0 turns a rounded -0 into 0.
    private static string Ms(double value) => (Math.Round(value) + 0.0).ToString("0", CultureInfo.InvariantCulture);
}
