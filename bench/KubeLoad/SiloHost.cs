using System.Diagnostics;

namespace Mesh.Bench.KubeLoad;

/// <summary>One embedded silo (SQLite in a fresh folder) whose Kubernetes source reads the fake API server
/// (<c>--kube-api</c>), with its ports numbered from a base as bench/scale/cluster.sh numbers them.</summary>
public sealed class SiloHost : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Process _process;
    private readonly string _data;

    private SiloHost(Process process, string data, int basePort)
    {
        _process = process;
        _data = data;
        Api = $"http://127.0.0.1:{basePort + 1}";
        Monitoring = $"127.0.0.1:{basePort + 3}";
        Xds = $"http://127.0.0.1:{basePort + 4}";
    }

    public string Api { get; }
    public string Monitoring { get; }
    public string Xds { get; }
    public int Pid => _process.Id;
    public string LogPath => Path.Combine(_data, "silo.log");

    public static SiloHost Start(Options options, Uri kubeApi)
    {
        var data = Directory.CreateTempSubdirectory("mesh-kubeload-").FullName;
        var p = options.BasePort;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                options.SiloDll, "--data", Path.Combine(data, "data"), "--kube-api", kubeApi.ToString(),
                "--api-port", $"{p + 1}", "--api-http-port", $"{p + 2}", "--monitoring-port", $"{p + 3}",
                "--xds-port", $"{p + 4}", "--xds-secure-port", $"{p + 5}", "--silo-port", $"{p + 6}", "--gateway-port", $"{p + 7}",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new SiloHost(process, data, p);
        var log = new StreamWriter(host.LogPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.WriteLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.WriteLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task WaitReady()
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(2); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (_process.HasExited) throw new InvalidOperationException($"the silo exited with {_process.ExitCode}; see {LogPath}");
            try
            {
                using var response = await Http.GetAsync($"http://{Monitoring}/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
        }
        throw new TimeoutException($"the silo never became ready; see {LogPath}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(Path.Combine(_data, "data"), recursive: true); // the log stays
    }
}
