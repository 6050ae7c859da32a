using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Kubernetes.Fake;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>A silo's admission webhooks called by the (fake) API server as kubectl creates objects: the webhook
/// configurations applied with an empty caBundle get the mesh CA's roots from the silo, pods in an injection-enabled
/// namespace are stored with the sidecar, and a bad VirtualService is refused with Mesh's field paths.</summary>
public sealed class AdmissionTests(AdmissionTests.Cluster cluster) : IClassFixture<AdmissionTests.Cluster>
{
    private const string Reviews = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: reviews-v1
          namespace: NAMESPACE
          labels: {app: reviews, version: v1}
        spec:
          serviceAccountName: bookinfo-reviews
          containers:
          - name: reviews
            image: reviews:1
            ports: [{name: http, containerPort: 9080}]
            livenessProbe: {httpGet: {path: /health, port: http}}
            readinessProbe: {tcpSocket: {port: 9080}}
        """;

    [Fact]
    public async Task WebhookConfigurations_GetTheMeshRoots_AndTheWebhookCertificateChainsToThem()
    {
        foreach (var kind in new[] { "mutatingwebhookconfiguration/mesh-sidecar-injector", "validatingwebhookconfiguration/mesh-validator" })
        {
            var bundle = await cluster.CaBundle(kind);
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(bundle)));
            Assert.NotEmpty(roots);
            // The name the API server dials for the Service, checked as a TLS client does.
            Assert.True(await ChainsTo(roots, cluster.WebhookPort, "mesh-webhook.mesh-system.svc"), $"the webhook's certificate does not chain to {kind}'s caBundle for its Service name");
        }
    }

    [Fact]
    public async Task RootRotation_ReachesBothCaBundles()
    {
        const string injector = "mutatingwebhookconfiguration/mesh-sidecar-injector", validator = "validatingwebhookconfiguration/mesh-validator";
        Assert.Equal(1, Roots(await cluster.CaBundle(injector)));
        var rotated = await Meshctl.Run(cluster.Silo.ApiUrl, "ca", "rotate");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        await Timeouts.Until(async () => Roots(await cluster.CaBundle(injector)) == 2 && Roots(await cluster.CaBundle(validator)) == 2,
            TimeSpan.FromSeconds(30), "the rotated root reaching both caBundles");
    }

    private static int Roots(string caBundle) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(caBundle)).Split("-----BEGIN CERTIFICATE-----").Length - 1;

    [Fact]
    public async Task Pod_InInjectionEnabledNamespace_IsStoredWithTheSidecar()
    {
        (await cluster.Kubectl.Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: bookinfo, labels: {istio-injection: enabled}}\n")).Succeeded();
        (await cluster.Kubectl.Apply(Reviews.Replace("NAMESPACE", "bookinfo"))).Succeeded();
        var pod = await cluster.Get("bookinfo", "pod", "reviews-v1");

        var containers = pod["spec"]!["containers"]!.AsArray();
        Assert.Equal(["reviews", "mesh-sidecar"], containers.Select(c => c!["name"]!.GetValue<string>()));
        var args = containers[1]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal("mesh.mesh-system.svc:15012", args[args.IndexOf("--xds") + 1]); // deploy/'s Service, in the webhook's namespace
        Assert.Equal("bookinfo", args[args.IndexOf("--namespace") + 1]);
        Assert.Equal("bookinfo-reviews", args[args.IndexOf("--service-account") + 1]);
        Assert.Equal("app=reviews,version=v1", args[args.IndexOf("--labels") + 1]);
        Assert.Equal("9080", args[args.IndexOf("--app-port") + 1]);
        Assert.Equal("mesh-sidecar:test", containers[1]!["image"]!.GetValue<string>());
        Assert.Equal(1337, containers[1]!["securityContext"]!["runAsUser"]!.GetValue<int>());

        var init = pod["spec"]!["initContainers"]!.AsArray().Single()!;
        Assert.Equal("mesh-capture", init["name"]!.GetValue<string>());
        Assert.Contains("NET_ADMIN", init["securityContext"]!["capabilities"]!["add"]!.AsArray().Select(c => c!.GetValue<string>()));

        var token = pod["spec"]!["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "mesh-token")!;
        Assert.Equal("istio-ca", token["projected"]!["sources"]![0]!["serviceAccountToken"]!["audience"]!.GetValue<string>());

        var liveness = containers[0]!["livenessProbe"]!["httpGet"]!;
        Assert.Equal(("/app-health/reviews/livez", 15021), (liveness["path"]!.GetValue<string>(), liveness["port"]!.GetValue<int>()));
        Assert.Equal("/app-health/reviews/readyz", containers[0]!["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.NotNull(pod["metadata"]!["annotations"]!["mesh.io/sidecar-status"]);
    }

    /// <summary>The injected pod's probes, run by a real sidecar given the injected variable: kubelet's view of the app.</summary>
    [Fact]
    public async Task InjectedProbes_AreAnsweredByTheSidecar_FromTheApp()
    {
        (await cluster.Kubectl.Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: probes, labels: {istio-injection: enabled}}\n")).Succeeded();
        // The "app" is the silo's monitoring port (its /healthz answers 200); readiness checks a port nothing listens on.
        var closed = FreePorts.Next();
        (await cluster.Kubectl.Apply(Reviews.Replace("NAMESPACE", "probes").Replace("containerPort: 9080", $"containerPort: {cluster.Silo.MonitoringPort}")
            .Replace("path: /health,", "path: /healthz,").Replace("tcpSocket: {port: 9080}", $"tcpSocket: {{port: {closed}}}"))).Succeeded();
        var pod = await cluster.Get("probes", "pod", "reviews-v1");
        var probers = pod["spec"]!["containers"]![1]!["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "MESH_KUBE_APP_PROBERS")!["value"]!.GetValue<string>();

        using var sidecar = new SidecarProcess(cluster.WorkDir, "reviews-v1", cluster.Silo.XdsPort, "probes", new Dictionary<string, string>(), appPort: null,
            environment: new Dictionary<string, string> { ["MESH_KUBE_APP_PROBERS"] = probers });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await http.UntilOk($"http://127.0.0.1:{sidecar.HealthPort}/app-health/reviews/livez", TimeSpan.FromSeconds(60), $"the sidecar's app-health ({sidecar.Process.LogPath})");
        using var ready = await http.GetAsync($"http://127.0.0.1:{sidecar.HealthPort}/app-health/reviews/readyz");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var unknown = await http.GetAsync($"http://127.0.0.1:{sidecar.HealthPort}/app-health/other/livez");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>Istio's per-pod annotations, as a user of Istio writes them, honoured in the stored pod; the postStart
    /// hook they ask for, run against a real sidecar, returns once that sidecar is ready.</summary>
    [Fact]
    public async Task Pod_WithIstioAnnotations_IsStoredAsTheyAsk()
    {
        (await cluster.Kubectl.Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: annotated, labels: {istio-injection: enabled}}\n")).Succeeded();
        (await cluster.Kubectl.Apply(Reviews.Replace("NAMESPACE", "annotated").Replace("  labels: {app: reviews, version: v1}\n", """
              labels: {app: reviews, version: v1}
              annotations:
                traffic.sidecar.istio.io/includeInboundPorts: "9080"
                traffic.sidecar.istio.io/excludeOutboundIPRanges: "169.254.169.254/32,10.96.0.1/12"
                traffic.sidecar.istio.io/excludeOutboundPorts: "5432"
                sidecar.istio.io/proxyCPU: 100m
                sidecar.istio.io/proxyMemoryLimit: 512Mi
                status.sidecar.istio.io/port: "15030"
                proxy.istio.io/config: |
                  holdApplicationUntilProxyStarts: true
                  concurrency: 2

            """))).Succeeded();
        var pod = await cluster.Get("annotated", "pod", "reviews-v1");

        var capture = Words(pod["spec"]!["initContainers"]![0]!["args"]);
        Assert.Equal("9080", capture[capture.IndexOf("--inbound-ports") + 1]);
        Assert.Equal("15030", capture[capture.IndexOf("--exclude-inbound-ports") + 1]);
        Assert.Equal("169.254.169.254/32,10.96.0.0/12", capture[capture.IndexOf("--exclude-outbound-cidrs") + 1]);
        Assert.Equal("5432", capture[capture.IndexOf("--exclude-outbound-ports") + 1]);

        var containers = pod["spec"]!["containers"]!.AsArray();
        Assert.Equal(["mesh-sidecar", "reviews"], containers.Select(c => c!["name"]!.GetValue<string>()));
        var sidecar = containers[0]!;
        Assert.Equal("""{"limits":{"memory":"512Mi"},"requests":{"cpu":"100m"}}""", Sorted(sidecar["resources"]!));
        Assert.Equal(15030, sidecar["readinessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal(15030, containers[1]!["livenessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        var hook = Words(sidecar["lifecycle"]!["postStart"]!["exec"]!["command"]);
        Assert.Equal(["mesh-sidecar", "wait", "--health-port", "15030"], hook);

        // The hook's command, pointed at a real sidecar's health port, returns 0 once that sidecar has its config.
        using var real = new SidecarProcess(cluster.WorkDir, "annotated-reviews", cluster.Silo.XdsPort, "annotated", new Dictionary<string, string>(), appPort: null);
        var (exit, output) = await RunSidecar([.. hook.Skip(1).SkipLast(1), real.HealthPort.ToString(), "--timeout", "60s"]);
        Assert.True(exit == 0, $"mesh-sidecar wait: exit {exit}: {output} ({real.Process.LogPath})");
        await real.WaitReady();
    }

    [Fact]
    public async Task Pod_WithABadIstioAnnotation_IsRefusedWithItsFieldPath()
    {
        (await cluster.Kubectl.Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: misannotated, labels: {istio-injection: enabled}}\n")).Succeeded();
        var refused = await cluster.Kubectl.Apply(Reviews.Replace("NAMESPACE", "misannotated").Replace("  labels: {app: reviews, version: v1}\n", """
              labels: {app: reviews, version: v1}
              annotations: {traffic.sidecar.istio.io/excludeOutboundIPRanges: "10.0.0.0/33", sidecar.istio.io/interceptionMode: TPROXY}

            """));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("denied the request", refused.Error);
        Assert.Contains("metadata.annotations[traffic.sidecar.istio.io/excludeOutboundIPRanges]: \"10.0.0.0/33\" is not a CIDR", refused.Error);
        Assert.Contains("metadata.annotations[sidecar.istio.io/interceptionMode]: TPROXY interception is not supported by Mesh", refused.Error);
        Assert.NotEqual(0, (await cluster.Kubectl.Run("", "get", "pod", "reviews-v1", "-n", "misannotated")).ExitCode);
    }

    private static List<string> Words(JsonNode? list) => [.. list!.AsArray().Select(w => w!.GetValue<string>())];

    private static string Sorted(JsonNode node) => node is JsonObject obj
        ? "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Sorted(p.Value!)}")) + "}"
        : node.ToJsonString();

    /// <summary>Runs the repository's mesh-sidecar with these arguments to its end: exit code and what it printed.</summary>
    private static async Task<(int Exit, string Output)> RunSidecar(IEnumerable<string> arguments)
    {
        var sidecar = Repository.Sidecar;
        var start = new System.Diagnostics.ProcessStartInfo(sidecar.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in sidecar.Arguments.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(90), "mesh-sidecar wait");
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Pod_InUnlabelledNamespace_IsStoredUnchanged()
    {
        (await cluster.Kubectl.Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: plain}\n")).Succeeded();
        (await cluster.Kubectl.Apply(Reviews.Replace("NAMESPACE", "plain"))).Succeeded();
        var pod = await cluster.Get("plain", "pod", "reviews-v1");
        Assert.Equal(["reviews"], pod["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Null(pod["spec"]!["initContainers"]);
        Assert.Equal(9080, pod["spec"]!["containers"]![0]!["readinessProbe"]!["tcpSocket"]!["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task VirtualService_Bad_IsRefusedWithFieldPaths_GoodIsAdmitted()
    {
        const string bad = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              htp: []
              http:
              - route:
                - {destination: {host: reviews, subset: v1}, weight: 90}
                - {destination: {host: reviews, subset: v2}, weight: 20}
            """;
        var refused = await cluster.Kubectl.Apply(bad);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("denied the request", refused.Error);
        Assert.Contains("spec.http[0].route: weights sum to 110, must be 100", refused.Error);
        Assert.Contains("spec.htp", refused.Error);
        Assert.NotEqual(0, (await cluster.Kubectl.Run("", "get", "virtualservice", "reviews", "-n", "default")).ExitCode);

        var good = bad.Replace("  htp: []\n", "").Replace("weight: 20", "weight: 10");
        (await cluster.Kubectl.Apply(good)).Succeeded();
        Assert.Equal("reviews", (await cluster.Get("default", "virtualservice", "reviews"))["metadata"]!["name"]!.GetValue<string>());

        // An update goes through the same webhook (UPDATE), and a refused one leaves the stored resource as it was.
        var badUpdate = await cluster.Kubectl.Apply(good.Replace("weight: 10", "weight: 30"));
        Assert.NotEqual(0, badUpdate.ExitCode);
        Assert.Contains("spec.http[0].route: weights sum to 120, must be 100", badUpdate.Error);
        Assert.Equal(10, (await cluster.Get("default", "virtualservice", "reviews"))["spec"]!["http"]![0]!["route"]![1]!["weight"]!.GetValue<int>());
    }

    private static async Task<bool> ChainsTo(X509Certificate2Collection roots, int port, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream());
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                CertificateChainPolicy = policy,
            });
            return true;
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    /// <summary>The silo with a Kubernetes client for the fake API server (for the caBundles), no Kubernetes source.</summary>
    public sealed class Cluster() : WebhookCluster("admission")
    {
        protected override (IEnumerable<string> Arguments, IDictionary<string, string> Environment) SiloOptions(Uri apiServer) =>
            ([], new Dictionary<string, string> { ["Mesh__Kubernetes__ApiUrl"] = apiServer.ToString().TrimEnd('/') });
    }
}
