namespace Mesh.TestBackend.Faults;

/// <summary>The backend's live faults, health and counters, changed by control requests while it serves. Thread-safe.</summary>
public sealed class FaultState
{
    private FaultSettings settings = FaultSettings.None;
    private long requests;
    private long failed;
    private volatile bool healthy = true;

    public FaultSettings Settings
    {
        get => Volatile.Read(ref settings);
        set => Volatile.Write(ref settings, value);
    }

    public bool Healthy
    {
        get => healthy;
        set => healthy = value;
    }

    public long Requests => Interlocked.Read(ref requests);

    public long Failed => Interlocked.Read(ref failed);

    /// <summary>Counts one ordinary request and decides, at random with the current fail rate, whether it fails.</summary>
    public bool CountAndDecideFailure(FaultSettings current)
    {
        Interlocked.Increment(ref requests);
        if (current.FailRate <= 0 || Random.Shared.NextDouble() >= current.FailRate)
        {
            return false;
        }
        Interlocked.Increment(ref failed);
        return true;
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref requests, 0);
        Interlocked.Exchange(ref failed, 0);
    }
}
