namespace Mesh.Integration.Tests.Cluster.Chaos;

/// <summary>What the writers were told: the newest acknowledged version of each service, and every failure.</summary>
public sealed class WriteLedger
{
    private readonly Dictionary<int, (long Version, int Weight)> _acknowledged = [];
    private readonly List<string> _failures = [];
    private int _attempts;

    public int Attempts => _attempts;
    public int Acknowledged { get; private set; }
    public int Failed { get; private set; }
    /// <summary>Failures within 15 s of a silo's kill.</summary>
    public int FailedDuringDeath { get; private set; }

    public IReadOnlyList<string> Failures { get { lock (_failures) return [.. _failures]; } }

    public void Acknowledge(int service, long version, int weight)
    {
        Interlocked.Increment(ref _attempts);
        lock (_acknowledged)
        {
            Acknowledged++;
            if (!_acknowledged.TryGetValue(service, out var known) || known.Version < version) _acknowledged[service] = (version, weight);
        }
    }

    public void Fail(string message, bool duringDeath)
    {
        Interlocked.Increment(ref _attempts);
        lock (_failures)
        {
            Failed++;
            if (duringDeath) FailedDuringDeath++;
            _failures.Add(message);
        }
    }

    /// <summary>Acknowledged writes the store no longer has: a service whose stored version is older than the newest
    /// acknowledged one, or the same version with other content.</summary>
    public int Lost(IReadOnlyList<(long Version, int Weight)> stored)
    {
        lock (_acknowledged)
        {
            return _acknowledged.Count(pair => stored[pair.Key].Version < pair.Value.Version
                || (stored[pair.Key].Version == pair.Value.Version && stored[pair.Key].Weight != pair.Value.Weight));
        }
    }
}
