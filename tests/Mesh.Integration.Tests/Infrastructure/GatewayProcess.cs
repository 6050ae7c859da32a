namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A real gateway: <c>mesh-sidecar --mode gateway</c> listening on free ports, labelled as Istio's ingress
/// gateway is (<c>istio=ingressgateway</c>) unless told otherwise.</summary>
public sealed class GatewayProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ChildProcess _process;

    /// <param name="listen">How many ports the gateway listens on (a pod's container ports); see <see cref="Ports"/>.</param>
    public GatewayProcess(string workDir, string workload, int xdsPort, string @namespace, int listen,
        IReadOnlyDictionary<string, string>? labels = null, IEnumerable<string>? extra = null)
    {
        Workload = workload;
        Ports = [.. Enumerable.Range(0, listen).Select(_ => FreePorts.Next())];
        AdminPort = FreePorts.Next();
        HealthPort = FreePorts.Next();
        MetricsPort = FreePorts.Next();
        labels ??= new Dictionary<string, string> { ["istio"] = "ingressgateway" };
        var proxy = Repository.Sidecar;
        List<string> arguments =
        [
            .. proxy.Arguments, "--mode", "gateway", "--listen", string.Join(',', Ports),
            "--xds", $"127.0.0.1:{xdsPort}", "--namespace", @namespace, "--workload", workload,
            "--labels", string.Join(',', labels.Select(l => $"{l.Key}={l.Value}")),
            "--admin-port", AdminPort.ToString(), "--health-port", HealthPort.ToString(), "--metrics-port", MetricsPort.ToString(),
            "--drain-timeout", "2s",
            .. extra ?? [],
        ];
        _process = new ChildProcess(proxy.FileName, arguments, Path.Combine(workDir, $"gateway-{workload}.log"));
    }

    public string Workload { get; }
    public IReadOnlyList<int> Ports { get; }
    public int AdminPort { get; }
    public int HealthPort { get; }
    public int MetricsPort { get; }
    public ChildProcess Process => _process;

    public Task WaitReady()
        => Http.UntilOk($"http://127.0.0.1:{HealthPort}/healthz/ready", TimeSpan.FromSeconds(60), $"gateway {Workload} ready ({_process.LogPath})");

    public async Task<string> Prometheus() => await Http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/stats/prometheus");

    public void Dispose() => _process.Dispose();
}
