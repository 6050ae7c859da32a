using System.Globalization;
using System.Text;

namespace Mesh.Cli.Analytics;

/// <summary>One sample of a Prometheus scrape: series name, labels and value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}

/// <summary>Reads the Prometheus text exposition format (version 0.0.4, what <c>/stats/prometheus</c> serves):
/// comments and blank lines skipped, label values unescaped (<c>\\</c>, <c>\"</c>, <c>\n</c>), <c>+Inf</c>,
/// <c>-Inf</c> and <c>NaN</c> values, an optional timestamp ignored. A line that is not a sample is an error naming
/// its line number, as a scrape that cannot be read should not be half-counted.</summary>
public static class PrometheusText
{
    /// <param name="names">When given, only samples of these series are kept (the rest are not parsed past their name).</param>
    public static List<Sample> Parse(string text, Func<string, bool>? names = null)
    {
        var samples = new List<Sample>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var nameEnd = line.IndexOfAny(['{', ' ', '\t']);
            if (nameEnd <= 0) throw Error(number, "a sample needs a series name and a value");
            var name = line[..nameEnd];
            if (names is not null && !names(name)) continue;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var at = nameEnd;
            if (line[at] == '{') at = ReadLabels(line, at + 1, labels, number);
            var rest = line[at..].Trim();
            var valueText = rest.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
                ?? throw Error(number, $"{name} has no value");
            samples.Add(new Sample(name, labels, Value(valueText) ?? throw Error(number, $"{name} has value \"{valueText}\", not a number")));
        }
        return samples;
    }

    private static int ReadLabels(string line, int at, Dictionary<string, string> labels, int number)
    {
        while (true)
        {
            while (at < line.Length && (line[at] == ' ' || line[at] == ',')) at++;
            if (at >= line.Length) throw Error(number, "the label set is not closed with }");
            if (line[at] == '}') return at + 1;
            var equals = line.IndexOf('=', at);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"') throw Error(number, "a label needs name=\"value\"");
            var name = line[at..equals].Trim();
            var value = new StringBuilder();
            at = equals + 2;
            while (true)
            {
                if (at >= line.Length) throw Error(number, $"the value of label {name} is not closed with \"");
                var c = line[at++];
                if (c == '"') break;
                if (c == '\\' && at < line.Length)
                {
                    var escaped = line[at++];
                    value.Append(escaped == 'n' ? '\n' : escaped);
                }
                else value.Append(c);
            }
            labels[name] = value.ToString();
        }
    }

    private static double? Value(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null,
    };

    private static FormatException Error(int line, string reason) => new($"Prometheus text, line {line}: {reason}");
}
