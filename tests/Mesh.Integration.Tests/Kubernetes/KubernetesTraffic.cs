using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Xds;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>A pod of the test namespace: its labels, and the loopback address that stands for its pod IP, where a real
/// backend listens and answers with the pod's name.</summary>
public sealed record ClusterPod(string Name, string App, string Version, string Address);

/// <summary>What an EndpointSlice says of an endpoint (its <c>conditions</c>).</summary>
public enum EndpointState
{
    Ready,

    /// <summary>The pod is being deleted and still serving: <c>{ready: false, serving: true, terminating: true}</c>.</summary>
    Terminating,
}

/// <summary>The namespace <see cref="Namespace"/> as kubectl makes it (three Services, their pods and EndpointSlices),
/// a real process behind each pod, and the two kinds of proxy that reach them through Mesh: a grpc-js-xds client per
/// Service (<c>xds:///NAME.shop.svc.cluster.local:9090</c>) and one mesh sidecar, used as an explicit HTTP proxy.</summary>
/// <remarks>Each Service has a gRPC port 9090 and an HTTP port 9080, both to the pods' one target port; their
/// protocols come the three ways istiod reads them: a port named <c>grpc</c>/<c>http</c>, an <c>appProtocol</c>, a
/// name's prefix (<c>http-api</c>).</remarks>
public sealed class KubernetesTraffic : IAsyncLifetime, IDisposable
{
    public const string Namespace = "shop";
    public const int GrpcPort = 9090;
    public const int HttpPort = 9080;

    public static readonly IReadOnlyList<string> ServiceNames = ["reviews", "ratings", "details"];

    public static readonly IReadOnlyList<ClusterPod> Pods =
    [
        new("reviews-v1", "reviews", "v1", "127.0.0.11"),
        new("reviews-v2", "reviews", "v2", "127.0.0.12"),
        new("ratings-v1", "ratings", "v1", "127.0.0.13"),
        new("details-1", "details", "v1", "127.0.0.14"),
        new("details-2", "details", "v1", "127.0.0.15"),
        new("details-3", "details", "v1", "127.0.0.16"),
    ];

    private readonly WorkDir _dir = new("kubernetes-traffic");
    private readonly List<IDisposable> _owned = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public KubernetesSilo Cluster { get; } = new();

    /// <summary>The pods' one target port, on each pod's own address.</summary>
    public int PodPort { get; } = FreePorts.Next();

    public Dictionary<string, TestBackend> Backends { get; } = [];

    /// <summary>A grpc-js-xds client per Service.</summary>
    public Dictionary<string, XdsClientProcess> Grpc { get; } = [];

    public SidecarProcess Sidecar { get; private set; } = null!;

    public static string Host(string service) => $"{service}.{Namespace}.svc.cluster.local";

    public static IEnumerable<ClusterPod> PodsOf(string service) => Pods.Where(p => p.App == service);

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        foreach (var pod in Pods) Backends[pod.Name] = Own(new TestBackend(_dir.Path, pod.Name, pod.Version, address: pod.Address, port: PodPort));
        await Task.WhenAll(Backends.Values.Select(b => b.WaitReady()));

        await Cluster.Apply(Manifests.Namespace(Namespace) + Services + string.Concat(Pods.Select(p => Manifests.Pod(p, PodPort)))
            + string.Concat(Pods.GroupBy(p => p.App).Select(g => Slice(g.Key, [.. g.Select(p => (p, EndpointState.Ready))]))));

        Sidecar = Own(new SidecarProcess(_dir.Path, "client", Cluster.Silo.XdsPort, Namespace, new Dictionary<string, string> { ["app"] = "client" }, null));
        var bootstrap = new XdsBootstrap
        {
            ServerUris = [$"127.0.0.1:{Cluster.Silo.XdsPort}"],
            Namespace = Namespace,
            NodeId = $"sidecar~127.0.0.1~grpc-client.{Namespace}~{Namespace}.svc.cluster.local",
        };
        foreach (var service in ServiceNames)
        {
            Grpc[service] = Own(await XdsClientProcess.StartAsync(XdsClientKind.GrpcJs, bootstrap, _dir.Path, $"xds:///{Host(service)}:{GrpcPort}"));
        }
        await Sidecar.WaitReady();
    }

    private static readonly string Services = $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: {{{Namespace}}}}
        spec:
          clusterIP: 10.96.1.1
          selector: {app: reviews}
          ports: [{name: grpc, port: {{{GrpcPort}}}, targetPort: pods}, {name: http, port: {{{HttpPort}}}, targetPort: pods}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ratings, namespace: {{{Namespace}}}}
        spec:
          clusterIP: 10.96.1.2
          selector: {app: ratings}
          ports: [{name: rpc, appProtocol: grpc, port: {{{GrpcPort}}}, targetPort: pods}, {name: http-api, port: {{{HttpPort}}}, targetPort: pods}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: details, namespace: {{{Namespace}}}}
        spec:
          clusterIP: 10.96.1.3
          selector: {app: details}
          ports: [{name: grpc, port: {{{GrpcPort}}}, targetPort: pods}, {name: http, port: {{{HttpPort}}}, targetPort: pods}]
        ---

        """;

    /// <summary>The Service's one EndpointSlice, as the slice controller writes it: both ports to the pods' named
    /// target port's number, and each endpoint with its pod and conditions.</summary>
    public string Slice(string service, params (ClusterPod Pod, EndpointState State)[] endpoints)
    {
        var ports = string.Join(", ", Manifests.ServicePortNames(service).Select(name => $"{{name: {name}, port: {PodPort}, protocol: TCP}}"));
        return $$$"""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: {{{service}}}-x1, namespace: {{{Namespace}}}, labels: {kubernetes.io/service-name: {{{service}}} }}
            addressType: IPv4
            ports: [{{{ports}}}]
            endpoints:
            {{{string.Concat(endpoints.Select(e => Manifests.Endpoint(e.Pod, e.State)))}}}
            ---

            """;
    }

    /// <summary>One request through the sidecar to a Service's HTTP port; the pod that answered, or the failure.</summary>
    public async Task<string> ThroughSidecar(string service, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Sidecar.OutboundPort}/");
        request.Headers.Host = $"{Host(service)}:{HttpPort}";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        try
        {
            using var response = await _http.SendAsync(request);
            return response.IsSuccessStatusCode && response.Headers.TryGetValues("x-backend", out var pod) ? pod.First() : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException error)
        {
            return error.Message;
        }
    }

    /// <summary><paramref name="count"/> requests through the sidecar, one after another: how many each pod (or failure) answered.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ThroughSidecar(string service, int count, IReadOnlyDictionary<string, string>? headers = null)
    {
        var answered = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            var pod = await ThroughSidecar(service, headers);
            answered[pod] = answered.GetValueOrDefault(pod) + 1;
        }
        return answered;
    }

    /// <summary><paramref name="count"/> calls through the Service's grpc-js-xds client: how many each pod (or failure code) answered.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ThroughGrpc(string service, int count, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var calls = await Grpc[service].CallsAsync(count, metadata, deadline: TimeSpan.FromSeconds(2));
        return calls.Backends.Concat(calls.Errors).ToDictionary(c => c.Key, c => c.Value);
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public Task DisposeAsync() => Cluster.DisposeAsync();

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_owned)) item.Dispose();
        Cluster.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }

    /// <summary>The YAML kubectl applies, one document each, ending in a separator so that they concatenate.</summary>
    private static class Manifests
    {
        public static string Namespace(string name) => $"""
            apiVersion: v1
            kind: Namespace
            metadata: {"{"}name: {name}{"}"}
            ---

            """;

        public static string Pod(ClusterPod pod, int port) => $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{{pod.Name}}}, namespace: {{{KubernetesTraffic.Namespace}}}, labels: {app: {{{pod.App}}}, version: {{{pod.Version}}} }}
            spec:
              serviceAccountName: {{{pod.App}}}
              containers: [{name: app, image: "{{{pod.App}}}:1", ports: [{name: pods, containerPort: {{{port}}} }]}]
            ---

            """;

        public static IReadOnlyList<string> ServicePortNames(string service) => service == "ratings" ? ["rpc", "http-api"] : ["grpc", "http"];

        public static string Endpoint(ClusterPod pod, EndpointState state) =>
            $"- {{addresses: [{pod.Address}], conditions: {Conditions(state)}, targetRef: {{kind: Pod, name: {pod.Name}, namespace: {KubernetesTraffic.Namespace}}}}}\n";

        private static string Conditions(EndpointState state) => state switch
        {
            EndpointState.Ready => "{ready: true, serving: true, terminating: false}",
            _ => "{ready: false, serving: true, terminating: true}",
        };
    }
}
