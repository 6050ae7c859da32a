using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.Config.Keys;

namespace Mesh.Kubernetes.Injection;

/// <summary>Kubelet's probes of an injected pod go to the sidecar's health port, as Istio rewrites them: with inbound
/// traffic captured (and mTLS required), kubelet could no longer reach the app itself. Each httpGet or tcpSocket
/// probe becomes an httpGet of <c>/app-health/CONTAINER/KIND</c> on the health port; the original, its named port
/// resolved, goes to the sidecar (<see cref="Probers"/>), which runs it against the app. exec probes need no network
/// and stay; a gRPC probe stays too, and its port is kept out of capture (<see cref="UncapturedPorts"/>).</summary>
public sealed class AppProbes
{
    private static readonly (string Field, string Kind)[] Kinds =
        [("livenessProbe", AppHealth.Liveness), ("readinessProbe", AppHealth.Readiness), ("startupProbe", AppHealth.Startup)];

    private AppProbes()
    {
    }

    /// <summary>Replacements: the JSON pointer of a probe and the probe kubelet runs from now on.</summary>
    public List<(string Pointer, JsonObject Probe)> Rewritten { get; } = [];

    /// <summary>Path → original probe (<c>httpGet</c> or <c>tcpSocket</c>, and <c>timeoutSeconds</c>).</summary>
    public JsonObject Probers { get; } = [];

    public List<int> UncapturedPorts { get; } = [];

    public List<string> Warnings { get; } = [];

    public static AppProbes Rewrite(IReadOnlyList<JsonObject> containers, int healthPort)
    {
        var probes = new AppProbes();
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var name = container["name"]!.GetValue<string>();
            foreach (var (field, kind) in Kinds)
            {
                if (container[field] is not JsonObject probe) continue;
                var where = $"spec.containers[{i}].{field}";
                if (probe["grpc"] is JsonObject grpc && Port(container, grpc["port"]) is { } grpcPort) probes.UncapturedPorts.Add(grpcPort);
                var action = probe["httpGet"] is JsonObject ? "httpGet" : probe["tcpSocket"] is JsonObject ? "tcpSocket" : null;
                if (action is null) continue;
                var original = (JsonObject)probe[action]!.DeepClone();
                if (Port(container, original["port"]) is not { } port)
                {
                    probes.Warnings.Add($"{where}.{action}.port: {original["port"]?.ToJsonString() ?? "missing"} names no port of the container; the probe is left as it is");
                    continue;
                }
                original["port"] = port;
                var path = AppHealth.Path(name, kind);
                var prober = new JsonObject { [action] = original };
                if (probe["timeoutSeconds"] is { } timeout) prober["timeoutSeconds"] = timeout.DeepClone();
                probes.Probers[path] = prober;
                var replacement = (JsonObject)probe.DeepClone();
                replacement.Remove(action);
                replacement["httpGet"] = new JsonObject { ["path"] = path, ["port"] = healthPort, ["scheme"] = "HTTP" };
                probes.Rewritten.Add((JsonPointer.Of("spec", "containers", i, field), replacement));
            }
        }
        return probes;
    }

    /// <summary>A probe's port: a number, or the name of one of the container's ports.</summary>
    private static int? Port(JsonObject container, JsonNode? port)
    {
        if (port is not JsonValue value) return null;
        if (value.TryGetValue<int>(out var number)) return number is > 0 and < 65536 ? number : null;
        if (!value.TryGetValue<string>(out var text)) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number)) return number is > 0 and < 65536 ? number : null;
        return (container["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(p => p["name"]?.GetValue<string>() == text)
            .Select(p => p["containerPort"]?.GetValue<int>())
            .FirstOrDefault();
    }
}
