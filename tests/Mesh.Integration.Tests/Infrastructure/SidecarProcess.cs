using System.Text.Json.Nodes;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A real mesh-sidecar process on free ports, registering its workload with the control plane.</summary>
public sealed class SidecarProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ChildProcess _process;

    public SidecarProcess(string workDir, string workload, int xdsPort, string @namespace, IReadOnlyDictionary<string, string> labels, int? appPort,
        IEnumerable<string>? extra = null, IDictionary<string, string>? environment = null)
    {
        Workload = workload;
        OutboundPort = FreePorts.Next();
        InboundPort = FreePorts.Next();
        AdminPort = FreePorts.Next();
        HealthPort = FreePorts.Next();
        MetricsPort = FreePorts.Next();
        var sidecar = Repository.Sidecar;
        List<string> arguments =
        [
            .. sidecar.Arguments, "--xds", $"127.0.0.1:{xdsPort}", "--namespace", @namespace, "--workload", workload,
            "--outbound-port", OutboundPort.ToString(), "--inbound-port", InboundPort.ToString(), "--admin-port", AdminPort.ToString(),
            "--health-port", HealthPort.ToString(), "--metrics-port", MetricsPort.ToString(), "--drain-timeout", "2s",
        ];
        if (labels.Count > 0) arguments.AddRange(["--labels", string.Join(',', labels.Select(l => $"{l.Key}={l.Value}"))]);
        if (appPort is { } port) arguments.AddRange(["--app-port", port.ToString(), "--service-port", "http=9080"]);
        arguments.AddRange(extra ?? []);
        _process = new ChildProcess(sidecar.FileName, arguments, Path.Combine(workDir, $"sidecar-{workload}.log"), environment);
    }

    public string Workload { get; }
    public int OutboundPort { get; }
    public int InboundPort { get; }
    public int AdminPort { get; }
    public int HealthPort { get; }
    public int MetricsPort { get; }
    public ChildProcess Process => _process;

    public Task WaitReady()
        => Http.UntilOk($"http://127.0.0.1:{HealthPort}/healthz/ready", TimeSpan.FromSeconds(60), $"sidecar {Workload} ready ({_process.LogPath})");

    public async Task<JsonNode> Admin(string path) => JsonNode.Parse(await Http.GetStringAsync($"http://127.0.0.1:{AdminPort}{path}"))!;

    public async Task<string> Prometheus() => await Http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/stats/prometheus");

    /// <summary>SIGTERM: drain, then deregister.</summary>
    public void Stop() => _process.Stop(TimeSpan.FromSeconds(20));

    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();
}

/// <summary>A real mesh-test-backend process: HTTP/1.1, h2c and gRPC, with faults set at run time.</summary>
public sealed class TestBackend : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ChildProcess _process;

    /// <param name="address">Where it listens: another loopback address (127.0.0.x) stands for a pod's own IP.</param>
    /// <param name="port">A fixed port, as the pods behind one Service share their target port; null picks a free one.</param>
    public TestBackend(string workDir, string name, string version, bool http1Only = false, string address = "127.0.0.1", int? port = null)
    {
        Name = name;
        Address = address;
        Port = port ?? FreePorts.Next();
        _process = new ChildProcess("dotnet", [Repository.TestBackendDll, "--port", Port.ToString(), "--name", name, "--version", version, "--address", address,
                .. http1Only ? ["--http1-only", "true"] : Array.Empty<string>()],
            Path.Combine(workDir, $"backend-{name}.log"));
    }

    public string Name { get; }
    public string Address { get; }
    public int Port { get; }

    public Task WaitReady() => Http.UntilOk($"http://{Address}:{Port}/healthz", TimeSpan.FromSeconds(60), $"backend {Name} ready");

    public async Task Faults(double failRate = 0, int status = 503, int delayMs = 0)
    {
        var query = failRate == 0 && delayMs == 0 ? "" : $"?fail_rate={failRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}&status={status}&delay_ms={delayMs}";
        (await Http.PostAsync($"http://{Address}:{Port}/_control/faults{query}", null)).EnsureSuccessStatusCode();
    }

    public async Task<long> Requests()
        => JsonNode.Parse(await Http.GetStringAsync($"http://{Address}:{Port}/_control/stats"))!["requests"]!.GetValue<long>();

    public void Dispose() => _process.Dispose();
}
