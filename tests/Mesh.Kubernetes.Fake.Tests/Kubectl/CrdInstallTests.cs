using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Tests.Kubectl;

/// <summary>deploy/k8s/crds.yaml installed with kubectl into a cluster that has none of Istio's kinds yet: the CRDs
/// are accepted, and the kinds they define are served, so a VirtualService applies and reads back by its short name.</summary>
public sealed class CrdInstallTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private Mesh.Kubernetes.Fake.Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start(new FakeApiServerOptions { Types = ResourceTypes.Builtin() });
        _kubectl = new Mesh.Kubernetes.Fake.Kubectl(_server.Url);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ShippedCrds_AppliedWithKubectl_ServeVirtualServices()
    {
        var before = await _kubectl.Run("", "get", "vs", "-n", "default");
        Assert.NotEqual(0, before.ExitCode);

        var crds = Path.Combine(AppContext.BaseDirectory, "deploy", "crds.yaml");
        var installed = (await _kubectl.Run("", "apply", "--validate=false", "-f", crds)).Succeeded();
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io created", installed.Output);
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/apipolicies.policy.mesh.dev created", installed.Output);
        Assert.Equal(11, _server.Requests["create", "customresourcedefinitions.apiextensions.k8s.io"]);

        (await _kubectl.Apply(KubectlTests.VirtualService)).Succeeded();
        var listed = (await _kubectl.Run("", "get", "vs", "-n", "default")).Succeeded();
        Assert.Contains("reviews", listed.Output);
        var back = JsonNode.Parse((await _kubectl.Run("", "get", "vs", "reviews", "-n", "default", "-o", "json")).Succeeded().Output)!;
        Assert.Equal("reviews", back["spec"]!["hosts"]![0]!.GetValue<string>());
        Assert.Equal("v1", back["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]!.GetValue<string>());
    }
}
