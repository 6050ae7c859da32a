using System.Text.Json;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Xds;

/// <summary>A real gRPC backend (tests/xds-clients/backend.js) serving mesh.test.Echo and answering with its name.</summary>
public sealed class BackendProcess : IDisposable
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(10);

    private readonly JsonLineProcess _process;

    private BackendProcess(string name, int port, JsonLineProcess process)
    {
        Name = name;
        Port = port;
        _process = process;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", as an endpoint address or a direct target.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string LogPath => _process.LogPath;

    /// <param name="port">0 picks a free port; a fixed one lets a test restart a backend where it was.</param>
    /// <param name="failRate">Fraction of calls failed with UNAVAILABLE, spread evenly (0.5 = every other call).</param>
    public static async Task<BackendProcess> StartAsync(string name, string directory, int port = 0, double failRate = 0, TimeSpan? delay = null)
    {
        var arguments = new List<string>
        {
            Path.Combine(Repository.Root, "tests", "xds-clients", "backend.js"),
            "--name", name, "--port", port.ToString(),
            "--fail-rate", failRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--delay-ms", ((int)(delay ?? TimeSpan.Zero).TotalMilliseconds).ToString(),
        };
        var process = new JsonLineProcess("node", arguments, Path.Combine(directory, $"backend-{name}-{Guid.NewGuid():N}"[..24] + ".log"));
        try
        {
            var ready = await process.ReadAsync(TimeSpan.FromSeconds(30), $"backend {name} start");
            return new BackendProcess(name, ready.GetProperty("port").GetInt32(), process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public Task SetFailRateAsync(double failRate) =>
        _process.SendAsync(new { failRate }, CommandLimit, $"backend {Name}: fail rate {failRate}");

    public Task SetDelayAsync(TimeSpan delay) =>
        _process.SendAsync(new { delayMs = (int)delay.TotalMilliseconds }, CommandLimit, $"backend {Name}: delay {delay.TotalMilliseconds} ms");

    /// <summary>Calls this backend received since it started, failed ones included (each retry attempt counts).</summary>
    public async Task<BackendStats> StatsAsync()
    {
        var reply = await _process.SendAsync(new { cmd = "stats" }, CommandLimit, $"backend {Name}: stats");
        return JsonSerializer.Deserialize<BackendStats>(reply, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>What a backend saw: unary calls, streams, and how many of them it failed on purpose.</summary>
public sealed record BackendStats(int Calls, int Failed, int Streams);
