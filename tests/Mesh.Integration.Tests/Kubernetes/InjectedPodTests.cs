using System.Text;
using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Pods;
using Mesh.Kubernetes.Fake;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>Issue 15's "an injected pod's plain traffic is captured and secured without app changes", with nothing but
/// kubectl: pods created in an injection-enabled namespace are stored with the sidecar, the root-cert ConfigMap is there
/// for them, and a <see cref="Kubelet"/> runs each stored pod as it is in a network namespace. An unmodified curl in
/// productpage then reaches reviews through both sidecars over mTLS. Addresses (<see cref="BookinfoPods"/> in
/// 10.234.N): each pod is known by its pod-network address (.33, .34), the silo listens on the node's end of their links;
/// reviews' cluster IP .100.</summary>
public sealed class InjectedPodTests(InjectedPodTests.Cluster cluster) : IClassFixture<InjectedPodTests.Cluster>, IDisposable
{
    private const string Namespace = "bookinfo";
    private BookinfoPods? _pods;

    [Fact]
    public async Task RootCertConfigMap_IsInEveryNamespace_RestoredAfterDeleteOrEdit_AndFollowsRotation()
    {
        (await cluster.Kubectl.Apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: roots}\n")).Succeeded();
        var roots = await cluster.Roots();
        await Timeouts.Until(async () => await RootCert("roots") == roots, TimeSpan.FromSeconds(20), "mesh-ca-root-cert in a new namespace");
        Assert.Contains("root-cert.pem: |", (await cluster.Kubectl.Run("", "get", "cm", "mesh-ca-root-cert", "-n", "roots", "-o", "yaml")).Succeeded().Output);
        Assert.Null(await RootCert("kube-system"));

        (await cluster.Kubectl.Run("", "delete", "cm", "mesh-ca-root-cert", "-n", "roots")).Succeeded();
        await Timeouts.Until(async () => await RootCert("roots") == roots, TimeSpan.FromSeconds(20), "mesh-ca-root-cert restored after a delete");

        (await cluster.Kubectl.Run("", "patch", "cm", "mesh-ca-root-cert", "-n", "roots", "--type=merge", "-p", """{"data":{"root-cert.pem":"forged"}}""")).Succeeded();
        await Timeouts.Until(async () => await RootCert("roots") == roots, TimeSpan.FromSeconds(20), "mesh-ca-root-cert restored after an edit");

        var rotated = await Meshctl.Run(cluster.Silo.ApiUrl, "ca", "rotate");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        await Timeouts.Until(async () => (await RootCert("roots"))?.Split("BEGIN CERTIFICATE").Length - 1 == 2, TimeSpan.FromSeconds(30), "the rotated roots in mesh-ca-root-cert");
    }

    [NetnsFact]
    public async Task InjectedPods_RunAsStored_PlainCallIsCapturedAndSecured_AndProbesReachTheApp()
    {
        // A pod's address is the one other pods reach it at (one interface, as in a real pod, so that capture's
        // REDIRECT lands on the address the sidecar serves); the node link is for the control plane and kubelet.
        var pods = _pods = new BookinfoPods(block: 234, tag: 'i');
        var (productpage, reviews) = (pods.Productpage, pods.Reviews);
        var (productpageIp, reviewsIp, vip) = (pods.ProductpageIp, pods.ReviewsIp, $"{pods.Net}.100");
        (await cluster.Kubectl.Apply(Bookinfo(productpageIp, reviewsIp, vip))).Succeeded();
        pods.RouteFromNode();
        // Cluster DNS's answers: the injected xDS address's name is the node (where the silo listens), reviews its cluster IP.
        pods.Hosts(Cluster.XdsHost, (vip, $"reviews reviews.{Namespace} reviews.{Namespace}.svc reviews.{Namespace}.svc.cluster.local"));

        await Timeouts.Until(async () => await RootCert(Namespace) is not null, TimeSpan.FromSeconds(20), "mesh-ca-root-cert in bookinfo");
        var kubelet = new Kubelet(cluster.Kubectl, cluster.ApiServer, cluster.WorkDir);
        var reviewsPod = await kubelet.Run(reviews, Namespace, "reviews-v1", reviewsIp);
        var productpagePod = await kubelet.Run(productpage, Namespace, "productpage-v1", productpageIp);
        Assert.Equal(["reviews", "mesh-sidecar"], Names(reviewsPod["spec"]!["containers"]));
        Assert.Equal("istio", reviewsPod["metadata"]!["labels"]!["security.istio.io/tlsMode"]!.GetValue<string>());

        foreach (var (pod, ip) in new[] { (reviewsPod, reviewsIp), (productpagePod, productpageIp) })
        {
            var sidecar = Container(pod, "mesh-sidecar");
            await Timeouts.Until(async () => await Status(() => Kubelet.Probe(sidecar, "readinessProbe", ip)) == 200, TimeSpan.FromSeconds(60),
                $"{pod["metadata"]!["name"]}'s sidecar ready by its own readinessProbe (logs in {cluster.WorkDir})");
        }

        var reply = new Curl.Reply(0, "");
        await Timeouts.Until(() => Task.FromResult((reply = productpage.Curl("http://reviews:9080/")).Status == 200),
            TimeSpan.FromSeconds(30), "reviews reached by name from productpage");
        var headers = JsonNode.Parse(reply.Body)!["headers"]!;
        var forwarded = headers["x-forwarded-client-cert"]?.GetValue<string>() ?? "";
        Assert.Contains($"URI=spiffe://cluster.local/ns/{Namespace}/sa/bookinfo-productpage", forwarded);
        Assert.Contains($"By=spiffe://cluster.local/ns/{Namespace}/sa/bookinfo-reviews", forwarded);

        // The second container port, called by name too: captured on both sides, secured, and served by the app.
        var admin = productpage.Curl("http://reviews:9443/admin");
        Assert.True(admin.Status == 200, $"{admin.Status} {admin.Body}");
        Assert.Contains("sa/bookinfo-productpage", JsonNode.Parse(admin.Body)!["headers"]!["x-forwarded-client-cert"]!.GetValue<string>());

        // kubelet's probes, as rewritten by injection, reach the app through the sidecar.
        var app = Container(reviewsPod, "reviews");
        Assert.Equal(15021, app["livenessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal(200, await Kubelet.Probe(app, "livenessProbe", reviewsIp));
        Assert.Equal(200, await Kubelet.Probe(app, "readinessProbe", reviewsIp));
    }

    private async Task<string?> RootCert(string ns)
    {
        var result = await cluster.Kubectl.Run("", "get", "cm", "mesh-ca-root-cert", "-n", ns, "-o", "json");
        return result.ExitCode == 0 ? JsonNode.Parse(result.Output)!["data"]?["root-cert.pem"]?.GetValue<string>() : null;
    }

    private static async Task<int> Status(Func<Task<int>> probe)
    {
        try
        {
            return await probe();
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static JsonObject Container(JsonObject pod, string name) =>
        pod["spec"]!["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!.AsObject();

    private static List<string> Names(JsonNode? list) => [.. list!.AsArray().Select(c => c!["name"]!.GetValue<string>())];

    private static string Bookinfo(string productpageIp, string reviewsIp, string vip)
    {
        var yaml = new StringBuilder($"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {Namespace}, labels: {{istio-injection: enabled}}}}\n---\n");
        foreach (var (app, ip, clusterIp) in new[] { ("productpage", productpageIp, vip.Replace(".100", ".101")), ("reviews", reviewsIp, vip) })
        {
            // reviews serves a second port: every declared port is served inbound, not only the first.
            var second = app == "reviews" ? ", {name: http-admin, port: 9443, protocol: TCP}" : "";
            yaml.Append($$$"""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: bookinfo-{{{app}}}, namespace: {{{Namespace}}}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: {{{app}}}, namespace: {{{Namespace}}}}
                spec:
                  clusterIP: {{{clusterIp}}}
                  selector: {app: {{{app}}}}
                  ports: [{name: http, port: 9080, targetPort: 9080}{{{second.Replace("protocol: TCP", "targetPort: 9443")}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: {{{app}}}-v1, namespace: {{{Namespace}}}, labels: {app: {{{app}}}, version: v1}}
                spec:
                  serviceAccountName: bookinfo-{{{app}}}
                  containers:
                  - name: {{{app}}}
                    image: {{{app}}}:1
                    ports: [{name: http, containerPort: 9080}{{{second.Replace("port: 9443, protocol: TCP", "containerPort: 9443")}}}]
                    livenessProbe: {httpGet: {path: /health, port: http}}
                    readinessProbe: {httpGet: {path: /ready, port: 9080}}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: {{{app}}}-abc, namespace: {{{Namespace}}}, labels: {kubernetes.io/service-name: {{{app}}}}}
                addressType: IPv4
                ports: [{name: http, port: 9080, protocol: TCP}{{{second}}}]
                endpoints:
                - addresses: [{{{ip}}}]
                  conditions: {ready: true, serving: true, terminating: false}
                  targetRef: {kind: Pod, name: {{{app}}}-v1, namespace: {{{Namespace}}}}
                ---

                """);
        }
        return yaml.ToString();
    }

    public void Dispose() => _pods?.Dispose();

    /// <summary>The silo with <c>--kube-api</c>, its secured xDS on every interface (pods reach it through their node
    /// link) under the name injection gives sidecars.</summary>
    public sealed class Cluster() : WebhookCluster("injected")
    {
        public const string XdsHost = "mesh.mesh-system.svc";

        /// <summary>The mesh CA's roots as the API serves them (meshctl ca show --pem).</summary>
        public async Task<string> Roots()
        {
            var shown = await Meshctl.Run(Silo.ApiUrl, "ca", "show", "--pem");
            Assert.True(shown.ExitCode == 0, shown.ToString());
            return shown.Stdout;
        }

        protected override (IEnumerable<string> Arguments, IDictionary<string, string> Environment) SiloOptions(Uri apiServer)
        {
            var secureXdsPort = FreePorts.Next();
            return (["--kube-api", apiServer.ToString(), "--xds-secure-address", "0.0.0.0", "--xds-secure-port", secureXdsPort.ToString()],
                new Dictionary<string, string>
                {
                    ["Mesh__Admission__XdsAddress"] = $"{XdsHost}:{secureXdsPort}",
                    ["Mesh__Xds__ServerNames__0"] = XdsHost,
                });
        }
    }
}
