using System.Globalization;

namespace Mesh.Bench.SidecarReport;

/// <summary>A proxy's samples, one a second (one every 5 s in a soak): µs since the epoch, CPU clock ticks
/// (utime+stime from /proc/PID/stat, summed over its processes) and RSS in kB (VmRSS from /proc/PID/status). The
/// first sample is taken before any load.</summary>
public sealed class ProcessSamples(IReadOnlyList<ProcessSamples.Sample> samples)
{
    public readonly record struct Sample(long Micros, long Ticks, long RssKb);

    public IReadOnlyList<Sample> All { get; } = samples;

    public double IdleMb => All.Count == 0 ? double.NaN : All[0].RssKb / 1024.0;

    /// <summary>The samples inside [from, to] (µs since the epoch).</summary>
    public IReadOnlyList<Sample> Between(long from, long to) => All.Where(s => s.Micros >= from && s.Micros <= to).ToList();

    public static ProcessSamples Read(string path) => new(File.ReadLines(path)
        .Select(line => line.Split('\t'))
        .Where(parts => parts.Length == 3)
        .Select(parts => new Sample(Long(parts[0]), Long(parts[1]), Long(parts[2])))
        .ToList());

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
