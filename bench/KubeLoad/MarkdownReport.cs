using System.Globalization;

namespace Mesh.Bench.KubeLoad;

/// <summary>The samples as bench/README.md's table: per change and mode, the Kubernetes path's row, then the
/// reference's, with the kube/reference ratio of p50 and p99 on the Kubernetes row.</summary>
public static class MarkdownReport
{
    public const string Header = """
        | change | mode | path | n (missed) | write p50 ms | seen after the write returned: p50 / p90 / p99 / max ms | end to end p50 / p99 ms | kube / reference p50, p99 |
        |---|---|---|---|---|---|---|---|
        """;

    public static IEnumerable<string> Rows(IReadOnlyList<Sample> samples, string kube, string reference)
    {
        foreach (var group in samples.GroupBy(s => (s.Change, s.Mode)))
        {
            var kubeSeen = Seen(group, kube);
            var referenceSeen = Seen(group, reference);
            var ratio = $"{Ratio(kubeSeen[0.5], referenceSeen[0.5])}, {Ratio(kubeSeen[0.99], referenceSeen[0.99])}";
            yield return Row(group, kube, ratio);
            yield return Row(group, reference, "-");
        }
    }

    private static string Row(IEnumerable<Sample> group, string path, string ratio)
    {
        var mine = group.Where(s => s.Path == path).ToList();
        var seen = Seen(mine, path);
        var endToEnd = new Percentiles(mine.Select(s => s.EndToEndMs).OfType<double>());
        var write = new Percentiles(mine.Select(s => s.WriteMs));
        var first = mine[0];
        return Format($"| {first.Change} | {first.Mode} | {path} | {mine.Count} ({mine.Count - seen.Count}) | {write[0.5]:0.0} | {seen[0.5]:0} / {seen[0.9]:0} / {seen[0.99]:0} / {seen.Max:0} | {endToEnd[0.5]:0} / {endToEnd[0.99]:0} | {ratio} |");
    }

    private static Percentiles Seen(IEnumerable<Sample> samples, string path) =>
        new(samples.Where(s => s.Path == path).Select(s => s.AfterWriteMs).OfType<double>());

    private static string Ratio(double kube, double reference) => reference > 0 ? Format($"{kube / reference:0.0}×") : "-";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
