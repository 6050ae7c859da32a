using Grpc.Net.Client;
using Mesh.Api.V1;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A real <c>mesh-silo</c> process on loopback ports of its own.</summary>
public sealed class SiloProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<string> _arguments;
    private readonly Dictionary<string, string> _environment;
    private readonly string _logPath;
    private ChildProcess? _process;
    private GrpcChannel? _channel;

    public SiloProcess(string workDir, string name, IEnumerable<string> extraArguments, IDictionary<string, string>? environment = null)
    {
        Name = name;
        ApiPort = FreePorts.Next();
        HttpPort = FreePorts.Next();
        MonitoringPort = FreePorts.Next();
        SiloPort = FreePorts.Next();
        GatewayPort = FreePorts.Next();
        XdsPort = FreePorts.Next();
        SecureXdsPort = FreePorts.Next();
        // Silos of one cluster share a work folder, and so the key that encrypts their CA at rest.
        CaKeyFile = Path.Combine(workDir, "ca-encryption.key");
        if (!File.Exists(CaKeyFile)) File.WriteAllText(CaKeyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        _logPath = Path.Combine(workDir, $"{name}.log");
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        _arguments =
        [
            Repository.SiloDll,
            "--api-port", ApiPort.ToString(), "--api-http-port", HttpPort.ToString(),
            "--monitoring-port", MonitoringPort.ToString(),
            "--silo-port", SiloPort.ToString(), "--gateway-port", GatewayPort.ToString(),
            "--xds-port", XdsPort.ToString(), "--xds-secure-port", SecureXdsPort.ToString(),
            "--ca-encryption-key-file", CaKeyFile,
            .. extraArguments,
        ];
    }

    public string Name { get; }
    public int ApiPort { get; }
    public int HttpPort { get; }
    public int MonitoringPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int XdsPort { get; }
    /// <summary>xDS and workload certificates over mTLS (15012's role).</summary>
    public int SecureXdsPort { get; }
    public string CaKeyFile { get; }

    public string ApiUrl => $"http://127.0.0.1:{ApiPort}";

    public ChildProcess Process => _process ?? throw new InvalidOperationException($"{Name} is not started");

    public ConfigService.ConfigServiceClient Client
    {
        get
        {
            _channel ??= GrpcChannel.ForAddress(ApiUrl);
            return new ConfigService.ConfigServiceClient(_channel);
        }
    }

    /// <param name="siloDll">Another build's <c>Mesh.Silo.dll</c> (a rolling upgrade); this tree's by default.</param>
    public SiloProcess Start(string? siloDll = null)
    {
        _process?.Dispose();
        _process = new ChildProcess("dotnet", siloDll is null ? _arguments : [siloDll, .. _arguments.Skip(1)], _logPath, _environment);
        return this;
    }

    /// <summary>Waits until <c>/readyz</c> says the silo joined its cluster.</summary>
    public async Task WaitReady(TimeSpan? limit = null)
    {
        try
        {
            await Timeouts.Until(async () =>
            {
                if (Process.HasExited) throw new InvalidOperationException($"{Name} exited with {Process.ExitCode}");
                using var response = await Http.GetAsync($"http://127.0.0.1:{MonitoringPort}/readyz");
                return response.IsSuccessStatusCode;
            }, limit ?? TimeSpan.FromSeconds(60), $"{Name} becoming ready");
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"{exception.Message}\n--- {Name} log ---\n{Tail(Process.Log())}", exception);
        }
    }

    public async Task<bool> IsHealthy()
    {
        using var response = await Http.GetAsync($"http://127.0.0.1:{MonitoringPort}/healthz");
        return response.IsSuccessStatusCode;
    }

    public async Task<string> Metrics() => await Http.GetStringAsync($"http://127.0.0.1:{MonitoringPort}/metrics");

    public void Kill() => _process?.Kill();

    public void Stop() => _process?.Stop(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _channel?.Dispose();
        _process?.Dispose();
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}
