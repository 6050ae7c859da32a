using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Pods;
using Mesh.Kubernetes.Fake;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>Just enough of a kubelet to run a pod exactly as the API server stores it, in a network namespace: it
/// reports the pod Running at the namespace's address (so the downward API's <c>status.podIP</c> resolves), fills its
/// volumes (a projected service-account token from TokenRequest with the volume's audience and lifetime, a ConfigMap's
/// items read with kubectl), runs the init containers as root, then each container as its <c>runAsUser</c> with its
/// args and env. Where a real kubelet bind-mounts a volume at its <c>mountPath</c>, this one gives each volume a folder
/// of its own and rewrites that path in the container's args and env. Two stand-ins: the image's
/// <c>mesh-sidecar</c> command is the repository's sidecar build, and an app container (any other image) is the test
/// backend listening on each of its containerPorts.</summary>
public sealed class Kubelet(Kubectl kubectl, Uri apiServer, string workDir)
{
    private const string SidecarCommand = "mesh-sidecar";

    /// <summary>Runs <paramref name="name"/> in <paramref name="pod"/> at <paramref name="podIp"/>; the pod stops the
    /// processes when it is disposed.</summary>
    public async Task<JsonObject> Run(Pod pod, string ns, string name, string podIp)
    {
        (await kubectl.Run("", "patch", "pod", name, "-n", ns, "--subresource=status", "--type=merge", "-p", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = podIp,
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        }.ToJsonString())).Succeeded();
        var stored = JsonNode.Parse((await kubectl.Run("", "get", "pod", name, "-n", ns, "-o", "json")).Succeeded().Output)!.AsObject();
        var spec = stored["spec"]!.AsObject();
        var folder = Directory.CreateDirectory(Path.Combine(workDir, $"pod-{name}")).FullName;
        var volumes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            volumes[volume["name"]!.GetValue<string>()] = await Fill(volume, stored, Path.Combine(folder, volume["name"]!.GetValue<string>()));
        }
        foreach (var init in (spec["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            pod.Exec([.. Command(init, volumes)]);
        }
        foreach (var container in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var log = Path.Combine(workDir, $"{name}-{container["name"]}.log");
            if (Image(container) == SidecarCommand)
            {
                var uid = container["securityContext"]?["runAsUser"]?.GetValue<int>();
                pod.Start(log, uid, Command(container, volumes), Environment(container, stored, volumes));
                continue;
            }
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                pod.Start(log, uid: null, ["dotnet", Repository.TestBackendDll, "--port", port["containerPort"]!.ToString(), "--name", container["name"]!.GetValue<string>()]);
            }
        }
        return stored;
    }

    /// <summary>Kubelet's HTTP probe: a GET from the node to the pod's address, success on 200-399.</summary>
    public static async Task<int> Probe(JsonObject container, string probe, string podIp)
    {
        var get = container[probe]?["httpGet"] ?? throw new InvalidOperationException($"{container["name"]} has no httpGet {probe}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync($"http://{podIp}:{get["port"]}{get["path"]}");
        return (int)response.StatusCode;
    }

    private async Task<string> Fill(JsonObject volume, JsonObject pod, string folder)
    {
        Directory.CreateDirectory(folder);
        Chmod(folder, 0b111_101_101);
        var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
        foreach (var source in (volume["projected"]?["sources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (source["serviceAccountToken"] is not JsonObject token) continue;
            var account = pod["spec"]!["serviceAccountName"]?.GetValue<string>() ?? "default";
            await Write(Path.Combine(folder, token["path"]!.GetValue<string>()), await RequestToken(ns, account, token));
        }
        if (volume["configMap"] is JsonObject reference)
        {
            var configMap = JsonNode.Parse((await kubectl.Run("", "get", "configmap", reference["name"]!.GetValue<string>(), "-n", ns, "-o", "json")).Succeeded().Output)!;
            foreach (var item in (reference["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                await Write(Path.Combine(folder, item["path"]!.GetValue<string>()), configMap["data"]![item["key"]!.GetValue<string>()]!.GetValue<string>());
            }
        }
        return folder;
    }

    /// <summary>TokenRequest for the projected volume's audience and lifetime, as kubelet asks for it.</summary>
    private async Task<string> RequestToken(string ns, string account, JsonObject projection)
    {
        using var http = new HttpClient { BaseAddress = apiServer };
        var request = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray(projection["audience"]!.GetValue<string>()),
                ["expirationSeconds"] = projection["expirationSeconds"]?.GetValue<long>() ?? 3600,
            },
        };
        using var response = await http.PostAsJsonAsync($"api/v1/namespaces/{ns}/serviceaccounts/{account}/token", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"TokenRequest for {ns}/{account}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["status"]!["token"]!.GetValue<string>();
    }

    private static async Task Write(string path, string content)
    {
        await File.WriteAllTextAsync(path, content);
        Chmod(path, 0b110_100_100);
    }

    /// <summary>Readable by the sidecar's own user (1337), as kubelet's volumes are.</summary>
    private static void Chmod(string path, int mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    private static string Image(JsonObject container) => (container["command"] as JsonArray)?[0]?.GetValue<string>() ?? "";

    /// <summary>The container's command and args, its volumes' mount paths rewritten to their folders.</summary>
    private static List<string> Command(JsonObject container, IReadOnlyDictionary<string, string> volumes)
    {
        var words = (container["command"] as JsonArray ?? []).Concat(container["args"] as JsonArray ?? []).Select(w => Mounted(container, volumes, w!.GetValue<string>())).ToList();
        if (words.FirstOrDefault() != SidecarCommand) throw new InvalidOperationException($"this kubelet runs only {SidecarCommand}, not `{string.Join(' ', words)}`");
        var sidecar = Repository.Sidecar;
        return [sidecar.FileName, .. sidecar.Arguments, .. words.Skip(1)];
    }

    /// <summary>The container's env: values as given, downward-API fieldRefs read from the stored pod.</summary>
    private static Dictionary<string, string> Environment(JsonObject container, JsonObject pod, IReadOnlyDictionary<string, string> volumes)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var value = variable["value"]?.GetValue<string>()
                ?? (variable["valueFrom"]?["fieldRef"]?["fieldPath"]?.GetValue<string>() is { } field ? Field(pod, field)
                    : throw new InvalidOperationException($"env {variable["name"]}: only value and fieldRef are supported"));
            environment[variable["name"]!.GetValue<string>()] = Mounted(container, volumes, value);
        }
        return environment;
    }

    private static string Field(JsonObject pod, string path) => path switch
    {
        "metadata.name" or "metadata.namespace" or "metadata.uid" => pod["metadata"]![path["metadata.".Length..]]!.GetValue<string>(),
        "spec.serviceAccountName" => pod["spec"]!["serviceAccountName"]!.GetValue<string>(),
        "spec.nodeName" => pod["spec"]!["nodeName"]?.GetValue<string>() ?? "",
        "status.podIP" => pod["status"]!["podIP"]!.GetValue<string>(),
        _ => throw new InvalidOperationException($"fieldRef {path} is not supported by this kubelet"),
    };

    private static string Mounted(JsonObject container, IReadOnlyDictionary<string, string> volumes, string text)
    {
        foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var path = mount["mountPath"]!.GetValue<string>().TrimEnd('/');
            if (text == path || text.StartsWith(path + "/", StringComparison.Ordinal)) return volumes[mount["name"]!.GetValue<string>()] + text[path.Length..];
        }
        return text;
    }

}
