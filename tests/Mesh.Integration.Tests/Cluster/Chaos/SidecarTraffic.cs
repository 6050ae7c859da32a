using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Sidecar;

namespace Mesh.Integration.Tests.Cluster.Chaos;

/// <summary>A client sidecar calling web.shop (the test backend behind its own sidecar) without pause, both sidecars on
/// one xDS address in front of all silos; counts what failed.</summary>
public sealed class SidecarTraffic : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Task? _sending;
    private int _total;
    private readonly List<string> _failures = [];

    public static async Task<SidecarTraffic> Start(IReadOnlyList<SiloProcess> silos, string directory)
    {
        var traffic = new SidecarTraffic();
        await silos[0].Client.ApplyAsync(new ApplyRequest { Manifest = PlainMesh.Service("web", PlainMesh.Host) });
        var xds = traffic.Own(new TcpForwarder([.. silos.Select(s => s.XdsPort)]));
        var backend = traffic.Own(new TestBackend(directory, "web", "v1"));
        await backend.WaitReady();
        var web = traffic.Own(new SidecarProcess(directory, "web", xds.Port, "shop", new Dictionary<string, string> { ["app"] = "web" }, backend.Port));
        var client = traffic.Own(new SidecarProcess(directory, "client", xds.Port, "shop", new Dictionary<string, string> { ["app"] = "client" }, null));
        await web.WaitReady();
        await client.WaitReady();
        var url = $"http://127.0.0.1:{client.OutboundPort}/chaos";
        await Timeouts.Until(async () => (await traffic.Send(url)).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the client sidecar reaching web");
        traffic._sending = traffic.Loop(url);
        return traffic;
    }

    /// <summary>Stops sending; returns how many requests were sent and how many failed (a transport error or a status other than 200).</summary>
    public async Task<(int Total, int Failed, IReadOnlyList<string> Failures)> Stop()
    {
        await _stop.CancelAsync();
        if (_sending is not null) await _sending;
        lock (_failures) return (_total, _failures.Count, [.. _failures]);
    }

    private async Task Loop(string url)
    {
        while (!_stop.IsCancellationRequested)
        {
            _total++;
            try
            {
                using var response = await Send(url);
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    lock (_failures) _failures.Add($"{DateTime.UtcNow:T} {(int)response.StatusCode} {body}");
                }
            }
            catch (Exception exception) when (!_stop.IsCancellationRequested)
            {
                lock (_failures) _failures.Add($"{DateTime.UtcNow:T} {exception.Message}");
            }
            try { await Task.Delay(50, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private Task<HttpResponseMessage> Send(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = $"{PlainMesh.Host}:9080";
        return _http.SendAsync(request);
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var item in Enumerable.Reverse(_owned)) item.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }
}
