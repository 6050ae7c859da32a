using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Silo.Tests.Storage;

/// <summary>A throwaway Debian <c>redis-server</c> (a server, a replica or a sentinel) on a free loopback port.</summary>
internal sealed class LocalRedis : IDisposable
{
    private readonly Process _process;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"mesh-redis-{Guid.NewGuid():N}");

    private LocalRedis(Func<int, string, string[]> arguments)
    {
        Directory.CreateDirectory(_dir);
        Port = FreePorts.Next();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments(Port, _dir)) start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static Task<LocalRedis> Server(params string[] extra) =>
        Started(new LocalRedis((port, dir) => ["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--save", "", .. extra]));

    /// <summary>A sentinel that monitors the given service names (at an address where nothing answers).</summary>
    public static Task<LocalRedis> Sentinel(params string[] services) => Started(new LocalRedis((port, dir) =>
    {
        var config = Path.Combine(dir, "sentinel.conf");
        File.WriteAllLines(config, [$"port {port}", "bind 127.0.0.1", $"dir {dir}", .. services.Select(s => $"sentinel monitor {s} 127.0.0.1 1 2")]);
        return [config, "--sentinel"];
    }));

    private static async Task<LocalRedis> Started(LocalRedis redis)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, redis.Port);
                return redis;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        redis.Dispose();
        throw new TimeoutException($"redis-server on {redis.Port} did not start");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
