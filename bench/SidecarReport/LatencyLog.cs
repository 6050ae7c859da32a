using System.Globalization;

namespace Mesh.Bench.SidecarReport;

/// <summary>h2load's <c>--log-file</c>: one request a line, tab-separated start time (µs since the epoch), status
/// (-1 for a failed stream) and µs until the end of the response.</summary>
public sealed class LatencyLog
{
    private readonly long[] sortedMicros;

    private LatencyLog(long[] startMicros, long[] sortedMicros, int non2xx, long firstStart, long lastEnd)
    {
        StartMicros = startMicros;
        this.sortedMicros = sortedMicros;
        Non2xx = non2xx;
        FirstStart = firstStart;
        LastEnd = lastEnd;
    }

    /// <summary>Start times, sorted: the CPU window of a proxy counts the requests that started inside it.</summary>
    public long[] StartMicros { get; }
    public int Count => sortedMicros.Length;
    public int Non2xx { get; }
    public long FirstStart { get; }
    public long LastEnd { get; }

    /// <summary>Requests per second, from the spread of start times (what a fixed-rate generator actually held).</summary>
    public double Rate => Count < 2 ? 0 : (Count - 1) / ((StartMicros[^1] - StartMicros[0]) / 1e6);

    /// <summary>Nearest rank: the smallest latency with at least <paramref name="percent"/>% of requests at or below it.</summary>
    public double PercentileMs(double percent)
    {
        if (Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * Count);
        return sortedMicros[Math.Clamp(rank, 1, Count) - 1] / 1000.0;
    }

    /// <summary>Requests whose start lies in [from, to] (µs since the epoch).</summary>
    public int StartedBetween(long from, long to)
    {
        var lo = Array.BinarySearch(StartMicros, from);
        var hi = Array.BinarySearch(StartMicros, to + 1);
        return Index(hi) - Index(lo);
        static int Index(int found) => found >= 0 ? found : ~found;
    }

    public static LatencyLog Read(string path)
    {
        var starts = new List<long>();
        var durations = new List<long>();
        var non2xx = 0;
        long lastEnd = 0;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3) continue;
            var start = long.Parse(parts[0], CultureInfo.InvariantCulture);
            var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var micros = long.Parse(parts[2], CultureInfo.InvariantCulture);
            starts.Add(start);
            durations.Add(micros);
            if (status is < 200 or > 299) non2xx++;
            lastEnd = Math.Max(lastEnd, start + micros);
        }
        var startArray = starts.ToArray();
        Array.Sort(startArray); // rows are in end-of-response order
        var sorted = durations.ToArray();
        Array.Sort(sorted);
        return new LatencyLog(startArray, sorted, non2xx, startArray.Length > 0 ? startArray[0] : 0, lastEnd);
    }

    /// <summary>(percentile, ms) points for a percentile plot: dense towards the tail.</summary>
    public IEnumerable<(double Percent, double Ms)> Curve()
    {
        for (var nines = 0.0; nines <= Math.Log10(Count); nines += 0.02)
        {
            var percent = 100 * (1 - Math.Pow(10, -nines));
            yield return (percent, PercentileMs(Math.Max(percent, 0.01)));
        }
    }
}
