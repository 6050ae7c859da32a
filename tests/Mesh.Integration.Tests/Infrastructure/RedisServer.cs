using System.Net.Sockets;
using System.Text;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A throwaway <c>redis-server</c> (Debian's) on a free loopback port, append-only with fsync on every
/// write, its data in a folder of the test's.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _dataDir;
    private ChildProcess? _process;

    public RedisServer(string workDir)
    {
        Port = FreePorts.Next();
        _dataDir = Path.Combine(workDir, "redis");
        Directory.CreateDirectory(_dataDir);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static string? Executable =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    public async Task Start()
    {
        var executable = Executable ?? throw new InvalidOperationException(
            "redis-server is not installed: apt-get install redis-server (the README's test command does this)");
        _process?.Dispose();
        _process = new ChildProcess(executable,
        [
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _dataDir,
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
        ], Path.Combine(_dataDir, "..", "redis.log"));
        await Timeouts.Until(Ping, TimeSpan.FromSeconds(20), "redis-server answering PING");
    }

    /// <summary>SIGSTOP: Redis stops answering but keeps its connections, as a stalled or overloaded server does.</summary>
    public void Stall() => _process?.Signal("STOP");

    /// <summary>SIGCONT after <see cref="Stall"/>: the commands that queued up meanwhile run now.</summary>
    public void Resume() => _process?.Signal("CONT");

    /// <summary>SIGKILL: whatever Redis acknowledged must already be in its append-only file.</summary>
    public void Kill() => _process?.Kill();

    private async Task<bool> Ping()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }

    public void Dispose() => _process?.Dispose();
}
