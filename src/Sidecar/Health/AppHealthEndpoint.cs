using System.Net.Sockets;
using Mesh.Config.Keys;
using Mesh.Sidecar.Hosting;

namespace Mesh.Sidecar.Health;

/// <summary>The health port's <c>/app-health/CONTAINER/KIND</c>: runs the app's original probe (the injector pointed
/// kubelet here, since captured inbound traffic no longer reaches the app directly) and answers as kubelet judges:
/// 200 when an HTTP probe got 200-399 or a TCP connect succeeded within the probe's timeout, else 503. The sidecar's
/// own traffic is not captured, so the probe reaches the app as kubelet's would have.</summary>
public sealed class AppHealthEndpoint(SidecarOptions options) : IDisposable
{
    // As kubelet: no proxy, no redirects followed, an HTTPS app's certificate not checked.
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    });

    public static bool Serves(string? path) => path?.StartsWith(AppHealth.PathPrefix, StringComparison.Ordinal) == true;

    public async Task Handle(HttpContext context)
    {
        if (!options.AppProbers.TryGetValue(context.Request.Path.Value ?? "", out var probe))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("no such app probe\n");
            return;
        }
        var (healthy, detail) = await Check(probe, context.RequestAborted);
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await context.Response.WriteAsync(detail + "\n");
    }

    public async Task<(bool Healthy, string Detail)> Check(AppProbe probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        try
        {
            if (probe.Kind == AppProbeKind.Tcp)
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(probe.Host, probe.Port, timeout.Token);
                return (true, $"connected to {probe.Host}:{probe.Port}");
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(probe.Scheme, probe.Host, probe.Port).Uri + probe.HttpPath.TrimStart('/'));
            foreach (var (name, value) in probe.Headers)
            {
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) request.Headers.Host = value;
                else request.Headers.TryAddWithoutValidation(name, value);
            }
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return (status is >= 200 and < 400, $"app answered {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {probe.Timeout.TotalSeconds:0.###}s");
        }
        catch (Exception failure) when (failure is HttpRequestException or SocketException)
        {
            return (false, failure.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
