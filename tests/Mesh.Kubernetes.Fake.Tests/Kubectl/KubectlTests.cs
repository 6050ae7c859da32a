using Mesh.Kubernetes.Fake.Tests.Infrastructure;

namespace Mesh.Kubernetes.Fake.Tests.Kubectl;

/// <summary>Real kubectl 1.32 against the fake: what it needs from discovery, how it applies (create, then patch),
/// labels, prints and deletes built-in kinds (strategic merge patch) and CRD kinds (JSON merge patch).</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: default
        spec:
          selector: {app: reviews}
          ports:
          - name: http
            port: 9080
            targetPort: 9080
        """;

    internal const string VirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: default
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
        """;

    private FakeApiServer _server = null!;
    private Fake.Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start();
        _kubectl = new Fake.Kubectl(_server.Url);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Service_AppliedTwiceLabelledAndDeleted_FollowsKubectlsOwnPaths()
    {
        var created = (await _kubectl.Apply(Service)).Succeeded();
        Assert.Contains("service/reviews created", created.Output);
        Assert.Equal(1, _server.Requests["create", "services"]);

        var changed = (await _kubectl.Apply(Service.Replace("port: 9080\n", "port: 9081\n"))).Succeeded();
        Assert.Contains("service/reviews configured", changed.Output);
        Assert.Equal("", changed.Error);
        Assert.Equal(1, _server.Requests["patch", "services"]);

        (await _kubectl.Run("", "label", "service", "reviews", "tier=backend")).Succeeded();
        var yaml = (await _kubectl.Run("", "get", "svc", "reviews", "-o", "yaml")).Succeeded().Output;
        Assert.Contains("tier: backend", yaml);
        Assert.Contains("port: 9081", yaml);
        Assert.DoesNotContain("port: 9080", yaml);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", yaml);
        Assert.Contains("uid:", yaml);

        var byLabel = (await _kubectl.Run("", "get", "services", "-l", "tier in (backend)", "-o", "name")).Succeeded();
        Assert.Equal("service/reviews", byLabel.Output.Trim());

        (await _kubectl.Run("", "delete", "service", "reviews")).Succeeded();
        var gone = await _kubectl.Run("", "get", "service", "reviews");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("(NotFound)", gone.Error);
        Assert.Contains("services \"reviews\" not found", gone.Error);
    }

    [Fact]
    public async Task VirtualService_AppliedChangedAndDeleted_UsesMergePatchAndBumpsGeneration()
    {
        Assert.Contains("virtualservice.networking.istio.io/reviews created", (await _kubectl.Apply(VirtualService)).Succeeded().Output);
        (await _kubectl.Apply(VirtualService.Replace("subset: v1", "subset: v2"))).Succeeded();
        Assert.Equal(1, _server.Requests["patch", "virtualservices.networking.istio.io"]);

        (await _kubectl.Run("", "label", "vs", "reviews", "canary=true")).Succeeded();
        var yaml = (await _kubectl.Run("", "get", "virtualservices.networking.istio.io", "reviews", "-o", "yaml")).Succeeded().Output;
        Assert.Contains("subset: v2", yaml);
        Assert.Contains("canary: \"true\"", yaml);
        Assert.Contains("generation: 2", yaml); // the spec changed once; the label did not count

        Assert.Contains("deleted", (await _kubectl.Run("", "delete", "vs", "reviews")).Succeeded().Output);
        Assert.Empty((await _kubectl.Run("", "get", "vs", "-o", "name")).Succeeded().Output.Trim());
    }

    [Fact]
    public async Task Apply_IntoMissingNamespace_ShowsTheServersNotFound()
    {
        var result = await _kubectl.Apply(Service.Replace("namespace: default", "namespace: nowhere"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("namespaces \"nowhere\" not found", result.Error);
    }

    /// <summary>kubectl's typed commands send protobuf, which the fake does not decode: it says so, and
    /// <c>kubectl apply</c> (JSON) is the way to create the object.</summary>
    [Fact]
    public async Task CreateNamespaceCommand_SendsProtobuf_AndIsRefusedWithAClearError()
    {
        var result = await _kubectl.Run("", "create", "namespace", "bookinfo");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(UnsupportedMediaType)", result.Error);
        Assert.Contains("application/vnd.kubernetes.protobuf", result.Error);
    }
}
