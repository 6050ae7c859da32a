using System.Globalization;

namespace Mesh.Bench.XdsLoad;

/// <summary>One silo at one moment: CPU time and resident memory from /proc, and the managed heap from its
/// Prometheus endpoint when the benchmark knows it.</summary>
public sealed record SiloSample(double CpuSeconds, double RssMb, double? GcHeapMb);

/// <summary>Samples the silo processes under test.</summary>
public sealed class SiloProbe(IReadOnlyList<int> pids, IReadOnlyList<string> monitoring)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<SiloSample[]> Sample() => await Task.WhenAll(pids.Select((pid, i) => Sample(pid, monitoring.ElementAtOrDefault(i))));

    private static async Task<SiloSample> Sample(int pid, string? metrics)
    {
        var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var cpu = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // utime + stime, in clock ticks
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        return new SiloSample(cpu, rss, metrics is null ? null : await GcHeapMb(metrics));
    }

    /// <summary>The managed heap after the last GC, all generations (the runtime's <c>dotnet.gc.last_collection.heap.size</c>).</summary>
    private static async Task<double?> GcHeapMb(string address)
    {
        try
        {
            var text = await Http.GetStringAsync($"http://{address}/metrics");
            var bytes = text.Split('\n')
                .Where(l => l.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            return bytes > 0 ? bytes / 1048576.0 : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
