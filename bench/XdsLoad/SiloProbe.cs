namespace Mesh.Bench.XdsLoad;

/// <summary>CPU time and resident memory of silo processes, from /proc.</summary>
public static class SiloProbe
{
    public static (double CpuSeconds, long RssMb) Sample(IEnumerable<int> pids)
    {
        double cpu = 0;
        long rss = 0;
        foreach (var pid in pids)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            cpu += (double.Parse(fields[11]) + double.Parse(fields[12])) / 100.0; // utime + stime, in clock ticks
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            rss += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        }
        return (cpu, rss);
    }
}
