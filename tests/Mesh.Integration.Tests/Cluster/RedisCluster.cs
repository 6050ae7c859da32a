using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>A real Redis and any number of real silos sharing it, with the fast membership settings unless told
/// otherwise.</summary>
public sealed class RedisCluster : IDisposable
{
    private readonly WorkDir _dir = new("cluster");
    private readonly string _serviceId = $"mesh-test-{Guid.NewGuid():N}"[..20];
    private int _generation;
    private string _clusterId = "";
    private Dictionary<string, string> _environment = [];

    public RedisCluster() => Redis = new RedisServer(_dir.Path);

    public RedisServer Redis { get; }

    /// <summary>The silos' <c>--redis</c> when it is not <see cref="Redis"/> (sentinels, say).</summary>
    public string? RedisAddress { get; init; }

    /// <summary>The test membership profile (a killed silo declared dead in about a second); false for production's.</summary>
    public bool FastMembership { get; init; } = true;

    public List<SiloProcess> Silos { get; } = [];

    /// <summary>Starts <paramref name="count"/> silos as a new cluster generation: the same ServiceId (so the
    /// same state) under a fresh ClusterId, so that membership rows of dead silos do not delay joining.</summary>
    /// <param name="environment">Settings for this generation's silos beyond the test defaults.</param>
    /// <param name="siloDll">Another build's <c>Mesh.Silo.dll</c>; this tree's by default.</param>
    public Task StartSilos(int count, IReadOnlyDictionary<string, string>? environment = null, string? siloDll = null)
    {
        _clusterId = $"gen{++_generation}-{Guid.NewGuid():N}"[..16];
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["Logging__LogLevel__Mesh"] = "Debug" };
        return AddSilos(count, siloDll);
    }

    /// <summary>Starts <paramref name="count"/> more silos that join the running generation.</summary>
    public async Task AddSilos(int count, string? siloDll = null)
    {
        var first = Silos.Count;
        var started = Enumerable.Range(first, count).Select(i => new SiloProcess(_dir.Path, $"g{_generation}-silo{i}",
        [
            "--store", "redis", "--redis", RedisAddress ?? Redis.Address,
            "--service-id", _serviceId, "--cluster-id", _clusterId,
            .. FastMembership ? new[] { "--fast-membership" } : [],
        ], _environment).Start(siloDll)).ToList();
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
