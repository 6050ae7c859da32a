using System.Net.Sockets;
using System.Text;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A replicated Redis under Sentinel, all Debian's <c>redis-server</c> on loopback: a primary and two
/// replicas (append-only, fsync always) and three sentinels (quorum 2) that declare the primary down after
/// 1 s and promote a replica. <see cref="Address"/> is the <c>--redis</c> a silo is given.</summary>
public sealed class RedisSentinels : IDisposable
{
    public const string ServiceName = "mesh";
    private readonly string _dir;
    private readonly List<ChildProcess> _processes = [];
    private readonly Dictionary<int, ChildProcess> _servers = [];

    public RedisSentinels(string workDir)
    {
        _dir = Path.Combine(workDir, "redis");
        Directory.CreateDirectory(_dir);
        ServerPorts = [FreePorts.Next(), FreePorts.Next(), FreePorts.Next()];
        SentinelPorts = [FreePorts.Next(), FreePorts.Next(), FreePorts.Next()];
    }

    /// <summary>The first is the primary at start.</summary>
    public IReadOnlyList<int> ServerPorts { get; }

    public IReadOnlyList<int> SentinelPorts { get; }

    public string Address => string.Join(",", SentinelPorts.Select(p => $"127.0.0.1:{p}")) + $",serviceName={ServiceName}";

    public async Task Start()
    {
        var executable = RedisServer.Executable ?? throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server");
        foreach (var port in ServerPorts)
        {
            var dir = Path.Combine(_dir, $"server-{port}");
            Directory.CreateDirectory(dir);
            List<string> arguments =
            [
                "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir,
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
            ];
            if (port != ServerPorts[0]) arguments.AddRange(["--replicaof", "127.0.0.1", ServerPorts[0].ToString()]);
            _servers[port] = Own(new ChildProcess(executable, arguments, Path.Combine(_dir, $"server-{port}.log")));
        }
        foreach (var port in SentinelPorts)
        {
            // A sentinel rewrites its file as it learns the topology, so each has its own.
            var config = Path.Combine(_dir, $"sentinel-{port}.conf");
            await File.WriteAllTextAsync(config, $"""
                port {port}
                bind 127.0.0.1
                dir {_dir}
                sentinel monitor {ServiceName} 127.0.0.1 {ServerPorts[0]} 2
                sentinel down-after-milliseconds {ServiceName} 1000
                sentinel failover-timeout {ServiceName} 5000
                sentinel parallel-syncs {ServiceName} 2

                """);
            Own(new ChildProcess(executable, [config, "--sentinel"], Path.Combine(_dir, $"sentinel-{port}.log")));
        }
        // Ready when every sentinel knows both replicas and the other two sentinels: only then can they fail over.
        await Timeouts.Until(async () =>
        {
            foreach (var port in SentinelPorts)
            {
                if ((await Command(port, "SENTINEL", "REPLICAS", ServiceName)).Count != 2) return false;
                if ((await Command(port, "SENTINEL", "SENTINELS", ServiceName)).Count != 2) return false;
            }
            return true;
        }, TimeSpan.FromSeconds(30), "the sentinels discovering the replicas and each other");
    }

    /// <summary>The port of the server the sentinels call primary now.</summary>
    public async Task<int> PrimaryPort()
    {
        var address = await Command(SentinelPorts[0], "SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName);
        return int.Parse(address[1]);
    }

    /// <summary>SIGKILL of one server: what it had not replicated dies with it.</summary>
    public void Kill(int port) => _servers[port].Kill();

    /// <summary>One command in RESP; the reply's strings (an integer or a status as one item).</summary>
    public static async Task<IReadOnlyList<string>> Command(int port, params string[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        var request = new StringBuilder($"*{command.Length}\r\n");
        foreach (var part in command) request.Append($"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var items = new List<string>();
        await Read(reader, items);
        return items;
    }

    private static async Task Read(StreamReader reader, List<string> items)
    {
        var line = await reader.ReadLineAsync() ?? throw new IOException("Redis closed the connection");
        switch (line[0])
        {
            case '+' or ':':
                items.Add(line[1..]);
                break;
            case '-':
                throw new IOException($"Redis: {line[1..]}");
            case '$':
                if (line != "$-1") items.Add(await reader.ReadLineAsync() ?? "");
                break;
            case '*':
                // An array of arrays (SENTINEL REPLICAS) counts as one item per inner array.
                for (var i = 0; i < int.Parse(line[1..]); i++)
                {
                    var inner = new List<string>();
                    await Read(reader, inner);
                    items.Add(string.Join(' ', inner));
                }
                break;
        }
    }

    private ChildProcess Own(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
    }
}
