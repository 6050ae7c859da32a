using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Patching;
using Mesh.Kubernetes.Injection;

namespace Mesh.Kubernetes.Tests.Injection;

/// <summary>The patch applied as the API server applies it, and the pod that results.</summary>
public sealed class PodInjectionTests
{
    private static readonly InjectionSettings Settings = new() { SidecarImage = "mesh/sidecar:1", XdsAddress = "mesh-control-plane.mesh-system.svc:15012" };
    private static readonly Dictionary<string, string> Enabled = new() { ["istio-injection"] = "enabled" };

    private const string Reviews = """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"generateName": "reviews-v1-", "namespace": "bookinfo", "labels": {"app": "reviews", "version": "v1"}},
         "spec": {"serviceAccountName": "bookinfo-reviews",
           "containers": [{"name": "reviews", "image": "reviews:1",
             "ports": [{"name": "http", "containerPort": 9080}, {"containerPort": 9443}, {"containerPort": 53, "protocol": "UDP"}],
             "livenessProbe": {"httpGet": {"path": "/health", "port": "http"}, "timeoutSeconds": 3, "periodSeconds": 5},
             "readinessProbe": {"tcpSocket": {"port": 9080}},
             "startupProbe": {"exec": {"command": ["true"]}}}]}}
        """;

    [Fact]
    public void Inject_PodWithoutInitContainersVolumesOrAnnotations_GetsThemAll()
    {
        var pod = Injected(Reviews);
        Assert.Equal(["reviews", "mesh-sidecar"], Names(pod["spec"]!["containers"]));
        Assert.Equal(["mesh-capture"], Names(pod["spec"]!["initContainers"]));
        Assert.Equal(["mesh-token", "mesh-ca-root"], Names(pod["spec"]!["volumes"]));
        var status = JsonNode.Parse(pod["metadata"]!["annotations"]!["mesh.io/sidecar-status"]!.GetValue<string>())!;
        Assert.Equal(["mesh-sidecar"], Names(status["containers"], plain: true));
    }

    [Fact]
    public void Inject_PodWithInitContainersVolumesAndAnnotations_AppendsAfterThem()
    {
        var pod = JsonNode.Parse(Reviews)!.AsObject();
        pod["metadata"]!["annotations"] = new JsonObject { ["team/owner"] = "books" };
        pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = "migrate", ["image"] = "m" });
        pod["spec"]!["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() });
        var result = PodInjection.Inject(pod, "bookinfo", Enabled, Settings);
        Assert.Contains(result.Patch!, op => op!["path"]!.GetValue<string>() == "/metadata/annotations/mesh.io~1sidecar-status");
        var patched = JsonPatch.Apply(pod, result.Patch!)!;
        Assert.Equal(["migrate", "mesh-capture"], Names(patched["spec"]!["initContainers"]));
        Assert.Equal(["data", "mesh-token", "mesh-ca-root"], Names(patched["spec"]!["volumes"]));
        Assert.Equal("books", patched["metadata"]!["annotations"]!["team/owner"]!.GetValue<string>());
    }

    /// <summary>Istio's tlsMode label, so that every client's sidecar sends this pod mTLS: added beside the pod's labels,
    /// or as the only one.</summary>
    [Fact]
    public void Inject_LabelsThePodForMtls_WithOrWithoutLabelsOfItsOwn()
    {
        var labelled = Injected(Reviews)["metadata"]!["labels"]!;
        Assert.Equal(("istio", "reviews"), (labelled["security.istio.io/tlsMode"]!.GetValue<string>(), labelled["app"]!.GetValue<string>()));

        var bare = JsonNode.Parse(Reviews)!.AsObject();
        bare["metadata"]!.AsObject().Remove("labels");
        var patched = JsonPatch.Apply(bare, PodInjection.Inject(bare, "bookinfo", Enabled, Settings).Patch!)!;
        Assert.Equal("istio", patched["metadata"]!["labels"]!["security.istio.io/tlsMode"]!.GetValue<string>());
    }

    [Fact]
    public void Sidecar_FlagsComeFromThePod()
    {
        var sidecar = Container(Injected(Reviews), "mesh-sidecar");
        var args = Names(sidecar["args"], plain: true);
        Assert.Equal("mesh-control-plane.mesh-system.svc:15012", Flag(args, "--xds"));
        Assert.Equal("bookinfo", Flag(args, "--namespace"));
        Assert.Equal("bookinfo-reviews", Flag(args, "--service-account"));
        Assert.Equal("app=reviews,version=v1", Flag(args, "--labels"));
        Assert.Equal("9080", Flag(args, "--app-port"));
        Assert.Equal(["http=9080", "9443"], args.Where((_, i) => i > 0 && args[i - 1] == "--service-port"));
        Assert.Equal(Settings.TokenPath, Flag(args, "--token-file"));
        Assert.Equal(Settings.RootCertPath, Flag(args, "--root-cert"));
        Assert.Equal(1337, sidecar["securityContext"]!["runAsUser"]!.GetValue<int>());
        Assert.Equal(15021, sidecar["readinessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        var env = sidecar["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!);
        Assert.Equal("metadata.name", env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("status.podIP", env["INSTANCE_IP"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("metadata.name", env["MESH_WORKLOAD"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
    }

    [Fact]
    public void TokenVolume_IsProjectedForIstioCa_AndMountedWhereTokenFilePoints()
    {
        var pod = Injected(Reviews);
        var token = pod["spec"]!["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "mesh-token")!;
        var source = token["projected"]!["sources"]![0]!["serviceAccountToken"]!;
        Assert.Equal("istio-ca", source["audience"]!.GetValue<string>());
        var mount = Container(pod, "mesh-sidecar")["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "mesh-token")!;
        Assert.Equal(Settings.TokenPath, $"{mount["mountPath"]}/{source["path"]}");
    }

    [Fact]
    public void Capture_RunsAsRootWithNetAdmin_ExcludingTheProxyUser()
    {
        var capture = Injected(Reviews)["spec"]!["initContainers"]![0]!;
        var args = Names(capture["args"], plain: true);
        Assert.Equal("capture", args[0]);
        Assert.Equal("1337", Flag(args, "--proxy-uid"));
        Assert.Equal(0, capture["securityContext"]!["runAsUser"]!.GetValue<int>());
        Assert.Equal(["NET_ADMIN", "NET_RAW"], Names(capture["securityContext"]!["capabilities"]!["add"], plain: true));
    }

    [Fact]
    public void Probes_HttpAndTcp_GoToTheHealthPort_OriginalsToTheSidecar()
    {
        var pod = Injected(Reviews);
        var app = Container(pod, "reviews");
        Assert.Equal("/app-health/reviews/livez", app["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(15021, app["livenessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal(5, app["livenessProbe"]!["periodSeconds"]!.GetValue<int>()); // the rest of the probe is kept
        Assert.Equal("/app-health/reviews/readyz", app["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Null(app["readinessProbe"]!["tcpSocket"]);
        Assert.NotNull(app["startupProbe"]!["exec"]); // exec needs no network: unchanged

        var env = Container(pod, "mesh-sidecar")["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "MESH_KUBE_APP_PROBERS")!;
        var probers = JsonNode.Parse(env["value"]!.GetValue<string>())!;
        Assert.Equal(9080, probers["/app-health/reviews/livez"]!["httpGet"]!["port"]!.GetValue<int>()); // the named port, resolved
        Assert.Equal("/health", probers["/app-health/reviews/livez"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(3, probers["/app-health/reviews/livez"]!["timeoutSeconds"]!.GetValue<int>());
        Assert.Equal(9080, probers["/app-health/reviews/readyz"]!["tcpSocket"]!["port"]!.GetValue<int>());
        Assert.Null(probers["/app-health/reviews/startupz"]);
    }

    [Fact]
    public void Probes_UnknownNamedPort_IsLeftAlone_WithAWarning()
    {
        var result = PodInjection.Inject(JsonNode.Parse(Reviews.Replace("\"port\": \"http\"", "\"port\": \"nope\""))!.AsObject(), "bookinfo", Enabled, Settings);
        Assert.Contains(result.Warnings, w => w.StartsWith("spec.containers[0].livenessProbe.httpGet.port:"));
        Assert.DoesNotContain(result.Patch!, op => op!["path"]!.GetValue<string>() == "/spec/containers/0/livenessProbe");
    }

    [Fact]
    public void GrpcProbe_PortIsKeptOutOfCapture()
    {
        var pod = Injected(Reviews.Replace("{\"exec\": {\"command\": [\"true\"]}}", "{\"grpc\": {\"port\": 9443}}"));
        Assert.Equal("9443", Flag(Names(pod["spec"]!["initContainers"]![0]!["args"], plain: true), "--exclude-inbound-ports"));
    }

    [Theory]
    [InlineData("""{"metadata": {}}""", "spec: required")]
    [InlineData("""{"metadata": {}, "spec": {"containers": []}}""", "spec.containers: a pod needs at least one container")]
    [InlineData("""{"metadata": {"labels": {"a": 1}}, "spec": {"containers": [{"name": "a"}]}}""", "metadata.labels[a]: expected a string")]
    [InlineData("""{"metadata": {}, "spec": {"containers": [{"image": "a"}]}}""", "spec.containers[0].name: required")]
    public void UnreadablePod_IsNotPatched_AndSaysWhere(string pod, string warning)
    {
        var result = PodInjection.Inject(JsonNode.Parse(pod)!.AsObject(), "bookinfo", Enabled, Settings);
        Assert.Null(result.Patch);
        Assert.Contains(result.Warnings, w => w.EndsWith(warning));
    }

    [Fact]
    public void PodInUnlabelledNamespace_IsNotPatched() =>
        Assert.Null(PodInjection.Inject(JsonNode.Parse(Reviews)!.AsObject(), "bookinfo", new Dictionary<string, string>(), Settings).Patch);

    [Fact]
    public void InjectedPod_IsNotInjectedAgain()
    {
        var once = Injected(Reviews);
        var twice = PodInjection.Inject(once, "bookinfo", Enabled, Settings);
        Assert.Null(twice.Patch);
    }

    [Fact]
    public void CaptureAnnotations_BecomeTheCaptureFlags()
    {
        var pod = Injected(Annotated(
            ("traffic.sidecar.istio.io/includeInboundPorts", "9080"),
            ("traffic.sidecar.istio.io/excludeInboundPorts", "22"),
            ("traffic.sidecar.istio.io/includeOutboundIPRanges", "10.96.0.0/12,10.244.0.1/16"),
            ("traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.96.0.1/32"),
            ("traffic.sidecar.istio.io/includeOutboundPorts", "5432"),
            ("traffic.sidecar.istio.io/excludeOutboundPorts", "3306,6379")));
        var args = Names(pod["spec"]!["initContainers"]![0]!["args"], plain: true);
        Assert.Equal("9080", Flag(args, "--inbound-ports"));
        Assert.Equal("22", Flag(args, "--exclude-inbound-ports"));
        Assert.Equal("10.96.0.0/12,10.244.0.0/16", Flag(args, "--include-outbound-cidrs"));
        Assert.Equal("10.96.0.1/32", Flag(args, "--exclude-outbound-cidrs"));
        Assert.Equal("5432", Flag(args, "--include-outbound-ports"));
        Assert.Equal("3306,6379", Flag(args, "--exclude-outbound-ports"));
    }

    [Fact]
    public void EmptyIncludes_CaptureNothing_AndStarIsTheDefault()
    {
        var none = Names(Injected(Annotated(("traffic.sidecar.istio.io/includeInboundPorts", ""), ("traffic.sidecar.istio.io/includeOutboundIPRanges", ""))
            )["spec"]!["initContainers"]![0]!["args"], plain: true);
        Assert.Equal(("", ""), (Flag(none, "--inbound-ports"), Flag(none, "--include-outbound-cidrs")));
        var all = Names(Injected(Annotated(("traffic.sidecar.istio.io/includeInboundPorts", "*"), ("traffic.sidecar.istio.io/includeOutboundIPRanges", "*"))
            )["spec"]!["initContainers"]![0]!["args"], plain: true);
        Assert.Equal(Names(Injected(Reviews)["spec"]!["initContainers"]![0]!["args"], plain: true), all);
    }

    [Fact]
    public void InterceptionModeNone_AddsNoCaptureContainer()
    {
        var pod = Injected(Annotated(("sidecar.istio.io/interceptionMode", "NONE")));
        Assert.Null(pod["spec"]!["initContainers"]);
        Assert.Equal(["reviews", "mesh-sidecar"], Names(pod["spec"]!["containers"]));
        var status = JsonNode.Parse(pod["metadata"]!["annotations"]!["mesh.io/sidecar-status"]!.GetValue<string>())!;
        Assert.Empty(status["initContainers"]!.AsArray());
    }

    [Fact]
    public void RewriteAppHttpProbersFalse_LeavesTheProbesAsWritten()
    {
        var pod = Injected(Annotated(("sidecar.istio.io/rewriteAppHTTPProbers", "false")));
        var app = Container(pod, "reviews");
        Assert.Equal("http", app["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
        Assert.Equal(9080, app["readinessProbe"]!["tcpSocket"]!["port"]!.GetValue<int>());
        Assert.DoesNotContain(Container(pod, "mesh-sidecar")["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "MESH_KUBE_APP_PROBERS");
    }

    [Fact]
    public void StatusPort_MovesTheHealthPort_TheRewrittenProbes_AndKeepsItOutOfCapture()
    {
        var pod = Injected(Annotated(("status.sidecar.istio.io/port", "15030")));
        var sidecar = Container(pod, "mesh-sidecar");
        Assert.Equal("15030", Flag(Names(sidecar["args"], plain: true), "--health-port"));
        Assert.Equal(15030, sidecar["readinessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal(15030, Container(pod, "reviews")["livenessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal("15030", Flag(Names(pod["spec"]!["initContainers"]![0]!["args"], plain: true), "--exclude-inbound-ports"));
    }

    [Fact]
    public void StatusPortZero_MeansNoSidecarReadinessProbe_AndNoRewrite()
    {
        var pod = Injected(Annotated(("status.sidecar.istio.io/port", "0")));
        Assert.Null(Container(pod, "mesh-sidecar")["readinessProbe"]);
        Assert.Equal("http", Container(pod, "reviews")["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
    }

    [Fact]
    public void ProxyResourcesAndLogLevel_AreTheSidecars()
    {
        var sidecar = Container(Injected(Annotated(
            ("sidecar.istio.io/proxyCPU", "100m"), ("sidecar.istio.io/proxyMemory", "128Mi"),
            ("sidecar.istio.io/proxyCPULimit", "2"), ("sidecar.istio.io/proxyMemoryLimit", "1Gi"),
            ("sidecar.istio.io/logLevel", "warning"))), "mesh-sidecar");
        Assert.Equal("""{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"2","memory":"1Gi"}}""", sidecar["resources"]!.ToJsonString());
        var env = sidecar["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "Logging__LogLevel__Default")!;
        Assert.Equal("Warning", env["value"]!.GetValue<string>());
    }

    [Fact]
    public void HoldApplicationUntilProxyStarts_PutsTheSidecarFirst_WaitingForReady()
    {
        var pod = Injected(Annotated(("proxy.istio.io/config", "holdApplicationUntilProxyStarts: true\n")));
        Assert.Equal(["mesh-sidecar", "reviews"], Names(pod["spec"]!["containers"]));
        var hook = Names(pod["spec"]!["containers"]![0]!["lifecycle"]!["postStart"]!["exec"]!["command"], plain: true);
        Assert.Equal(["mesh-sidecar", "wait", "--health-port", "15021"], hook);
        // The app's probes were rewritten at the app's own index, before the sidecar went in front of it.
        Assert.Equal("/app-health/reviews/livez", Container(pod, "reviews")["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
    }

    [Fact]
    public void BadAnnotation_RefusesThePod_WithItsFieldPath_AndNoPatch()
    {
        var pod = JsonNode.Parse(Annotated(("traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.0.0.0/33"), ("sidecar.istio.io/proxyCPU", "lots")))!.AsObject();
        var result = PodInjection.Inject(pod, "bookinfo", Enabled, Settings);
        Assert.Null(result.Patch);
        Assert.Equal(
            "metadata.annotations[traffic.sidecar.istio.io/excludeOutboundIPRanges]: \"10.0.0.0/33\" is not a CIDR such as 10.96.0.0/12 or fd00::/8; "
            + "metadata.annotations[sidecar.istio.io/proxyCPU]: \"lots\" is not a Kubernetes quantity such as 100m, 0.5, 128Mi or 1G",
            result.Refusal);
    }

    [Fact]
    public void BadAnnotation_OnAPodNotInjected_IsNotLookedAt()
    {
        var pod = JsonNode.Parse(Annotated(("sidecar.istio.io/proxyCPU", "lots")))!.AsObject();
        var result = PodInjection.Inject(pod, "bookinfo", new Dictionary<string, string>(), Settings);
        Assert.Null(result.Refusal);
        Assert.False(result.Decision.Injects);
    }

    /// <summary>The reviews pod with these annotations.</summary>
    private static string Annotated(params (string Key, string Value)[] annotations)
    {
        var pod = JsonNode.Parse(Reviews)!.AsObject();
        pod["metadata"]!["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        return pod.ToJsonString();
    }

    private static JsonObject Injected(string json)
    {
        var pod = JsonNode.Parse(json)!.AsObject();
        var result = PodInjection.Inject(pod, "bookinfo", Enabled, Settings);
        Assert.True(result.Decision.Injects, result.Decision.Reason);
        return JsonPatch.Apply(pod, result.Patch!)!.AsObject();
    }

    private static JsonNode Container(JsonObject pod, string name) => pod["spec"]!["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    private static List<string> Names(JsonNode? list, bool plain = false) =>
        [.. list!.AsArray().Select(n => plain ? n!.GetValue<string>() : n!["name"]!.GetValue<string>())];

    private static string? Flag(List<string> args, string flag) => args.IndexOf(flag) is >= 0 and var i ? args[i + 1] : null;
}
