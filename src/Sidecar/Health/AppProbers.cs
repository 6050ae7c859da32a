using System.Globalization;
using System.Text.Json;
using Mesh.Config.Keys;

namespace Mesh.Sidecar.Health;

/// <summary>One of the app's original probes, as the injector handed it over: an HTTP GET or a TCP connect.</summary>
public sealed record AppProbe(string Path, AppProbeKind Kind, string Host, int Port, TimeSpan Timeout)
{
    public string Scheme { get; init; } = "http";
    public string HttpPath { get; init; } = "/";
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}

public enum AppProbeKind { Http, Tcp }

/// <summary>Reads <see cref="AppHealth.ProbersVariable"/> (path → <c>{"httpGet": {...}}</c> or <c>{"tcpSocket": {...}}</c>,
/// with <c>timeoutSeconds</c>): every problem named by its path, so a sidecar with a bad variable refuses to start
/// rather than failing its pod's probes later. JsonDocument, not reflection: the sidecar is NativeAOT.</summary>
public static class AppProbers
{
    public static (IReadOnlyDictionary<string, AppProbe> Probes, IReadOnlyList<string> Errors) Parse(string? json)
    {
        var probes = new Dictionary<string, AppProbe>(StringComparer.Ordinal);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(json)) return (probes, errors);
        var where = AppHealth.ProbersVariable;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException invalid)
        {
            return (probes, [$"{where}: not JSON ({invalid.Message})"]);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (probes, [$"{where}: expected an object of path → probe"]);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                var at = $"{where}[{entry.Name}]";
                if (!entry.Name.StartsWith(AppHealth.PathPrefix, StringComparison.Ordinal)) errors.Add($"{at}: the path must start with {AppHealth.PathPrefix}");
                else if (Probe(entry.Name, entry.Value, at, errors) is { } probe) probes[entry.Name] = probe;
            }
        }
        return (probes, errors);
    }

    private static AppProbe? Probe(string path, JsonElement probe, string at, List<string> errors)
    {
        if (probe.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected an object with httpGet or tcpSocket");
            return null;
        }
        var timeout = TimeSpan.FromSeconds(1); // kubelet's default timeoutSeconds
        if (probe.TryGetProperty("timeoutSeconds", out var seconds))
        {
            if (seconds.ValueKind == JsonValueKind.Number && seconds.TryGetInt32(out var s) && s > 0) timeout = TimeSpan.FromSeconds(s);
            else errors.Add($"{at}.timeoutSeconds: expected a positive integer");
        }
        if (probe.TryGetProperty("httpGet", out var http)) return Http(path, http, $"{at}.httpGet", timeout, errors);
        if (probe.TryGetProperty("tcpSocket", out var tcp))
        {
            return Port(tcp, $"{at}.tcpSocket", errors) is { } port ? new AppProbe(path, AppProbeKind.Tcp, Host(tcp), port, timeout) : null;
        }
        errors.Add($"{at}: expected httpGet or tcpSocket");
        return null;
    }

    private static AppProbe? Http(string path, JsonElement http, string at, TimeSpan timeout, List<string> errors)
    {
        if (Port(http, at, errors) is not { } port) return null;
        var scheme = http.TryGetProperty("scheme", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()!.ToLowerInvariant() : "http";
        if (scheme is not ("http" or "https"))
        {
            errors.Add($"{at}.scheme: \"{scheme}\" is not HTTP or HTTPS");
            return null;
        }
        var headers = new List<KeyValuePair<string, string>>();
        if (http.TryGetProperty("httpHeaders", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var header in list.EnumerateArray())
            {
                if (header.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) headers.Add(new(n.GetString()!, header.TryGetProperty("value", out var v) ? v.GetString() ?? "" : ""));
            }
        }
        var httpPath = http.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } text ? text : "/";
        if (!httpPath.StartsWith('/')) httpPath = "/" + httpPath;
        return new AppProbe(path, AppProbeKind.Http, Host(http), port, timeout) { Scheme = scheme, HttpPath = httpPath, Headers = headers };
    }

    /// <summary>A number: the injector resolved named ports already.</summary>
    private static int? Port(JsonElement action, string at, List<string> errors)
    {
        if (action.ValueKind == JsonValueKind.Object && action.TryGetProperty("port", out var port))
        {
            if (port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out var number) && number is > 0 and < 65536) return number;
            if (port.ValueKind == JsonValueKind.String && int.TryParse(port.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is > 0 and < 65536) return number;
        }
        errors.Add($"{at}.port: expected a port number (1-65535)");
        return null;
    }

    /// <summary>The probe's host, else the app on loopback (where the sidecar's inbound path reaches it too).</summary>
    private static string Host(JsonElement action) =>
        action.TryGetProperty("host", out var host) && host.ValueKind == JsonValueKind.String && host.GetString() is { Length: > 0 } text ? text : "127.0.0.1";
}
