using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.Config.Keys;

namespace Mesh.Kubernetes.Injection;

/// <summary>The containers and volumes injection adds to a pod, built from the pod's facts and the settings.</summary>
public static class SidecarTemplate
{
    /// <summary>The <c>mesh-sidecar</c> container: its identity and workload from the pod, the app's ports, the pod's
    /// own name and address from the downward API (a pod from a template has no name yet when it is admitted), and what
    /// the pod's annotations ask of it (<paramref name="settings"/> carry its health port already).</summary>
    public static JsonObject Sidecar(PodFacts pod, InjectionSettings settings, InjectionOverrides overrides, JsonObject probers)
    {
        var args = new JsonArray
        {
            "--xds", settings.XdsAddress,
            "--namespace", pod.Namespace,
            "--service-account", pod.ServiceAccount,
            "--token-file", settings.TokenPath,
            "--root-cert", settings.RootCertPath,
            "--health-port", Text(settings.HealthPort),
            "--metrics-port", Text(settings.MetricsPort),
        };
        if (pod.Labels.Count > 0) Add(args, "--labels", string.Join(',', pod.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        var ports = AppPorts(pod);
        if (ports.Count > 0) Add(args, "--app-port", Text(ports[0].Number));
        foreach (var (name, number) in ports) Add(args, "--service-port", name is null ? Text(number) : $"{name}={Text(number)}");

        var env = new JsonArray
        {
            FieldEnv("POD_NAME", "metadata.name"),
            FieldEnv("POD_NAMESPACE", "metadata.namespace"),
            FieldEnv("INSTANCE_IP", "status.podIP"),
            // The sidecar reads MESH_<FLAG> for a flag not given: its workload name and the address it serves on.
            FieldEnv("MESH_WORKLOAD", "metadata.name"),
            FieldEnv("MESH_ADDRESS", "status.podIP"),
        };
        if (probers.Count > 0) env.Add(new JsonObject { ["name"] = AppHealth.ProbersVariable, ["value"] = probers.ToJsonString() });
        // The sidecar has no log-level flag: .NET's configuration reads this variable as Logging:LogLevel:Default.
        if (overrides.LogLevel is { } level) env.Add(new JsonObject { ["name"] = "Logging__LogLevel__Default", ["value"] = level });

        var sidecar = MeshSidecarBinary(InjectionNames.SidecarContainer, settings, args);
        sidecar["env"] = env;
        sidecar["ports"] = new JsonArray(new JsonObject { ["name"] = "http-envoy-prom", ["containerPort"] = settings.MetricsPort, ["protocol"] = "TCP" });
        if (overrides.StatusPort != 0)
        {
            sidecar["readinessProbe"] = new JsonObject
            {
                ["httpGet"] = new JsonObject { ["path"] = AppHealth.ReadyPath, ["port"] = settings.HealthPort },
                ["periodSeconds"] = 2,
                ["failureThreshold"] = 30,
            };
        }
        if (overrides.Resources is { } resources) sidecar["resources"] = resources.DeepClone();
        if (overrides.HoldApplicationUntilProxyStarts)
        {
            // Kubelet starts the next container only once this hook returns: the app starts with its sidecar ready.
            // The hook runs in the sidecar's container, whose MESH_ADDRESS is where the health port listens.
            sidecar["lifecycle"] = new JsonObject
            {
                ["postStart"] = new JsonObject
                {
                    ["exec"] = new JsonObject { ["command"] = new JsonArray("mesh-sidecar", "wait", "--health-port", Text(settings.HealthPort)) },
                },
            };
        }
        sidecar["securityContext"] = new JsonObject
        {
            ["runAsUser"] = settings.ProxyUid,
            ["runAsGroup"] = settings.ProxyUid,
            ["runAsNonRoot"] = true,
            ["allowPrivilegeEscalation"] = false,
            ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
        };
        sidecar["volumeMounts"] = new JsonArray
        {
            new JsonObject { ["name"] = InjectionNames.TokenVolume, ["mountPath"] = Path.GetDirectoryName(settings.TokenPath), ["readOnly"] = true },
            new JsonObject { ["name"] = InjectionNames.RootCertVolume, ["mountPath"] = Path.GetDirectoryName(settings.RootCertPath), ["readOnly"] = true },
        };
        return sidecar;
    }

    /// <summary>The init container that installs capture (iptables, so root with NET_ADMIN and NET_RAW) before the app
    /// starts, with the ports and ranges the pod's annotations ask for.</summary>
    public static JsonObject Capture(InjectionSettings settings, InjectionOverrides overrides, IReadOnlyList<int> uncapturedPorts)
    {
        var args = new JsonArray("capture", "--proxy-uid", Text(settings.ProxyUid), "--proxy-gid", Text(settings.ProxyUid));
        // An empty value is "none", as in the annotation; null (every port, every destination) is capture's default.
        if (overrides.InboundPorts is { } inbound) Add(args, "--inbound-ports", Ports(inbound));
        // The sidecar's default ports are always left out by `capture` itself; others it is told of.
        var excluded = uncapturedPorts.Concat(overrides.ExcludeInboundPorts)
            .Concat(new[] { settings.HealthPort, settings.MetricsPort }.Except(SidecarPorts.NeverCaptured)).ToList();
        if (excluded.Count > 0) Add(args, "--exclude-inbound-ports", Ports(excluded));
        if (overrides.IncludeOutboundPorts.Count > 0) Add(args, "--include-outbound-ports", Ports(overrides.IncludeOutboundPorts));
        if (overrides.ExcludeOutboundPorts.Count > 0) Add(args, "--exclude-outbound-ports", Ports(overrides.ExcludeOutboundPorts));
        if (overrides.OutboundRanges is { } ranges) Add(args, "--include-outbound-cidrs", Ranges(ranges));
        if (overrides.ExcludeOutboundRanges.Count > 0) Add(args, "--exclude-outbound-cidrs", Ranges(overrides.ExcludeOutboundRanges));
        var capture = MeshSidecarBinary(InjectionNames.CaptureContainer, settings, args);
        capture["securityContext"] = new JsonObject
        {
            ["runAsUser"] = 0,
            ["runAsGroup"] = 0,
            ["runAsNonRoot"] = false,
            ["allowPrivilegeEscalation"] = false,
            ["capabilities"] = new JsonObject { ["add"] = new JsonArray("NET_ADMIN", "NET_RAW"), ["drop"] = new JsonArray("ALL") },
        };
        return capture;
    }

    /// <summary>A container running <c>mesh-sidecar</c> from the sidecar image (the command named, whatever the
    /// image's entrypoint).</summary>
    private static JsonObject MeshSidecarBinary(string name, InjectionSettings settings, JsonArray args) => new()
    {
        ["name"] = name,
        ["image"] = settings.SidecarImage,
        ["imagePullPolicy"] = settings.ImagePullPolicy,
        ["command"] = new JsonArray("mesh-sidecar"),
        ["args"] = args,
    };

    /// <summary>The projected service-account token (audience <c>istio-ca</c>, which the control plane's TokenReview
    /// asks for) and the mesh's roots.</summary>
    public static IReadOnlyList<JsonObject> Volumes(InjectionSettings settings) =>
    [
        new JsonObject
        {
            ["name"] = InjectionNames.TokenVolume,
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray(new JsonObject
                {
                    ["serviceAccountToken"] = new JsonObject
                    {
                        ["audience"] = InjectionNames.TokenAudience,
                        ["expirationSeconds"] = settings.TokenExpirationSeconds,
                        ["path"] = Path.GetFileName(settings.TokenPath),
                    },
                }),
            },
        },
        new JsonObject
        {
            ["name"] = InjectionNames.RootCertVolume,
            ["configMap"] = new JsonObject
            {
                ["name"] = settings.RootCertConfigMap,
                ["items"] = new JsonArray(new JsonObject { ["key"] = RootCertPlan.Key, ["path"] = Path.GetFileName(settings.RootCertPath) }),
            },
        },
    ];

    /// <summary>The TCP ports the pod's containers declare, in order, each once: the app's.</summary>
    private static List<(string? Name, int Number)> AppPorts(PodFacts pod) =>
    [
        .. pod.Containers
            .SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(p => (p["protocol"]?.GetValue<string>() ?? "TCP") == "TCP" && p["containerPort"] is JsonValue v && v.TryGetValue<int>(out _))
            .Select(p => (p["name"]?.GetValue<string>(), p["containerPort"]!.GetValue<int>()))
            .DistinctBy(p => p.Item2),
    ];

    private static JsonObject FieldEnv(string name, string fieldPath) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = fieldPath } },
    };

    private static void Add(JsonArray args, string flag, string value)
    {
        args.Add(flag);
        args.Add(value);
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    private static string Ports(IEnumerable<int> ports) => string.Join(',', ports.Distinct().Order().Select(Text));

    private static string Ranges(IEnumerable<System.Net.IPNetwork> ranges) => string.Join(',', ranges.Distinct().Select(r => r.ToString()));

}
