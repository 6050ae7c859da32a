using System.CommandLine;
using System.Net;
using Mesh.Config.Keys;
using Mesh.Config.Text;
using static Mesh.Sidecar.Hosting.CommandLineValues;

namespace Mesh.Sidecar.Health;

/// <summary><c>mesh-sidecar wait</c>: returns 0 once the sidecar answers 200 on its health port's <c>/healthz/ready</c>
/// (its xDS config received), 1 if it has not within the timeout. The injector puts it in the sidecar container's
/// postStart hook when a pod holds its application until the proxy starts (Istio's <c>pilot-agent wait</c>): kubelet
/// starts the next container only once the hook returns.</summary>
public static class WaitCommandLine
{
    private static readonly Option<string?> HealthPort = Single("--health-port", "the sidecar's health port (default 15021; or MESH_HEALTH_PORT)");
    private static readonly Option<string?> Address = Single("--address", "the address the health port listens on (default: MESH_ADDRESS, as the sidecar's own, else 127.0.0.1)");
    private static readonly Option<string?> Timeout = Single("--timeout", "how long to wait for ready (default 60s)");

    public static Command Command { get; } = new("wait", "wait until the sidecar is ready (a postStart hook, as pilot-agent wait)")
    {
        HealthPort, Address, Timeout,
    };

    /// <summary>The readiness URL and how long to wait for it, or every problem with the flags.</summary>
    public static (Uri? Url, TimeSpan Timeout, IReadOnlyList<string> Errors) Parse(ParseResult result, Func<string, string?> environment)
    {
        var errors = result.Errors.Select(e => e.Message).ToList();
        var portText = result.GetValue(HealthPort) ?? environment("MESH_HEALTH_PORT") ?? SidecarPorts.Health.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var port = PortNumber.Parse(portText) ?? 0;
        if (port == 0) errors.Add($"--health-port: \"{portText}\" is not a port (1-65535)");
        var addressText = result.GetValue(Address) ?? environment("MESH_ADDRESS") ?? "127.0.0.1";
        if (!IPAddress.TryParse(addressText, out var address)) errors.Add($"--address: \"{addressText}\" is not an IP address");
        else if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) address = IPAddress.Loopback;
        var timeoutText = result.GetValue(Timeout) ?? "60s";
        var nanos = GoDuration.Nanoseconds(timeoutText);
        if (nanos is not > 0) errors.Add($"--timeout: \"{timeoutText}\" is not a duration such as 60s or 2m");
        if (errors.Count > 0) return (null, TimeSpan.Zero, errors);
        return (new Uri($"http://{new IPEndPoint(address!, port)}{AppHealth.ReadyPath}"), TimeSpan.FromTicks((long)(nanos!.Value / 100)), errors);
    }

    public static async Task<int> Run(ParseResult result)
    {
        var (url, timeout, errors) = Parse(result, Environment.GetEnvironmentVariable);
        if (url is null)
        {
            foreach (var error in errors) Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine("Run mesh-sidecar wait --help for the flags.");
            return 2;
        }
        using var deadline = new CancellationTokenSource(timeout);
        if (await UntilReady(url, TimeSpan.FromMilliseconds(500), deadline.Token))
        {
            Console.WriteLine($"mesh-sidecar is ready ({url})");
            return 0;
        }
        Console.Error.WriteLine($"mesh-sidecar was not ready within {timeout.TotalSeconds:0.#}s ({url})");
        return 1;
    }

    /// <summary>Polls <paramref name="url"/> every <paramref name="period"/> until it answers 200 (true) or
    /// <paramref name="cancellationToken"/> ends the wait (false). A refused connection is "not yet".</summary>
    public static async Task<bool> UntilReady(Uri url, TimeSpan period, CancellationToken cancellationToken)
    {
        // No proxy: an HTTP_PROXY meant for the app must not carry the sidecar's own health check.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(period * 4);
                using var response = await http.GetAsync(url, attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (Exception notYet) when (notYet is HttpRequestException or OperationCanceledException)
            {
            }
            try
            {
                await Task.Delay(period, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }
}
