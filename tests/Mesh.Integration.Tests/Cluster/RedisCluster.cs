using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>A real Redis and any number of real silos sharing it, with the fast membership settings.</summary>
public sealed class RedisCluster : IDisposable
{
    private readonly WorkDir _dir = new("cluster");
    private readonly string _serviceId = $"mesh-test-{Guid.NewGuid():N}"[..20];
    private int _generation;

    public RedisCluster() => Redis = new RedisServer(_dir.Path);

    public RedisServer Redis { get; }

    public List<SiloProcess> Silos { get; } = [];

    /// <summary>Starts <paramref name="count"/> silos as a new cluster generation: the same ServiceId (so the
    /// same state) under a fresh ClusterId, so that membership rows of dead silos do not delay joining.</summary>
    public async Task StartSilos(int count)
    {
        var clusterId = $"gen{++_generation}-{Guid.NewGuid():N}"[..16];
        var started = Enumerable.Range(0, count).Select(i => new SiloProcess(_dir.Path, $"g{_generation}-silo{i}",
        [
            "--store", "redis", "--redis", Redis.Address,
            "--service-id", _serviceId, "--cluster-id", clusterId,
            "--fast-membership",
        ], new Dictionary<string, string> { ["Logging__LogLevel__Mesh"] = "Debug" }).Start()).ToList();
        Silos.AddRange(started);
        await Task.WhenAll(started.Select(s => s.WaitReady(TimeSpan.FromSeconds(90))));
    }

    public void StopSilos()
    {
        foreach (var silo in Silos) silo.Stop();
        foreach (var silo in Silos) silo.Dispose();
        Silos.Clear();
    }

    public void Dispose()
    {
        foreach (var silo in Silos) silo.Dispose();
        Redis.Dispose();
        _dir.Dispose();
    }
}
