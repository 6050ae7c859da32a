using System.Diagnostics;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>Sends small batches of requests through one proxy, one batch after another, and remembers when each ran and
/// which pods answered it: so that a test can tell, after a change, when that proxy last sent a request to a pod.</summary>
/// <remarks>A batch reaches every endpoint of a round-robin cluster, so a batch without a pod means the proxy no longer
/// has it. Times are <see cref="Stopwatch"/> timestamps, as <see cref="Now"/> gives.</remarks>
public sealed class TrafficProbe(string proxy, Func<Task<IReadOnlyDictionary<string, int>>> batch)
{
    public sealed record Batch(long Started, long Ended, IReadOnlyDictionary<string, int> Answered);

    private readonly List<Batch> _batches = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public string Proxy => proxy;

    public static long Now => Stopwatch.GetTimestamp();

    public TrafficProbe Start()
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var started = Now;
                var answered = await batch();
                lock (_batches) _batches.Add(new Batch(started, Now, answered));
            }
        });
        return this;
    }

    public async Task<IReadOnlyList<Batch>> Stop()
    {
        await _stop.CancelAsync();
        await _loop!;
        lock (_batches) return [.. _batches];
    }

    /// <summary>How long after <paramref name="change"/> the proxy last sent <paramref name="pod"/> a request: the end of
    /// the last batch it answered (zero if no batch that ended after the change reached it).</summary>
    public static TimeSpan LastSentAfter(IReadOnlyList<Batch> batches, string pod, long change) =>
        batches.LastOrDefault(b => b.Ended > change && b.Answered.ContainsKey(pod)) is { } last
            ? Stopwatch.GetElapsedTime(change, last.Ended)
            : TimeSpan.Zero;

    /// <summary>Everything the batches that started after <paramref name="since"/> answered, summed.</summary>
    public static IReadOnlyDictionary<string, int> AnsweredAfter(IReadOnlyList<Batch> batches, long since) =>
        batches.Where(b => b.Started > since).SelectMany(b => b.Answered)
            .GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Sum(a => a.Value));
}
