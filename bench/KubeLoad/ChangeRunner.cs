using System.Diagnostics;

namespace Mesh.Bench.KubeLoad;

/// <summary>Makes each kind of change on both paths and times it to the xDS client: one at a time (the kube change and
/// the reference change alternate, so both see the same machine), then each path's changes all at once. Change k of a
/// kind goes to service k, so one host's changes are a whole round apart: further apart than the xDS debounce's quiet
/// period (100 ms), which would otherwise hold back a change that follows another to the same host.</summary>
public sealed class ChangeRunner(ClusterWatch watch, IReadOnlyList<IMeshPath> paths, int changes)
{
    private static readonly TimeSpan SeenWithin = TimeSpan.FromSeconds(30);
    private int _value = 1000; // each DestinationRule edit sets a value never set before

    public async Task<List<Sample>> Sequential()
    {
        var samples = new List<Sample>();
        foreach (var kind in ChangeKind.All)
        {
            for (var k = 0; k < changes; k++)
            {
                foreach (var path in paths) samples.Add(await Measure(kind, path, k, "one at a time"));
            }
        }
        return samples;
    }

    public async Task<List<Sample>> Burst()
    {
        var samples = new List<Sample>();
        foreach (var kind in ChangeKind.All)
        {
            foreach (var path in paths)
            {
                samples.AddRange(await Task.WhenAll(Enumerable.Range(0, changes).Select(k => Measure(kind, path, k, $"burst of {changes}"))));
                await Task.Delay(500); // the burst's tail (status writes, reconciles) before the next one
            }
        }
        return samples;
    }

    private async Task<Sample> Measure(ChangeKind kind, IMeshPath path, int service, string mode)
    {
        var value = Interlocked.Increment(ref _value);
        var seen = kind.Seen(watch, path, service, value);
        var started = Stopwatch.GetTimestamp();
        await kind.Write(path, service, value);
        var written = Stopwatch.GetTimestamp();
        var arrived = await Task.WhenAny(seen, Task.Delay(SeenWithin)) == seen ? await seen : (long?)null;
        return new Sample(kind.Name, mode, path.Name, service, Stopwatch.GetElapsedTime(started, written).TotalMilliseconds,
            arrived is { } at ? (at - written) * 1000.0 / Stopwatch.Frequency : null);
    }
}
