using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Kubernetes.Crds;

namespace Mesh.Kubernetes.Tests.Crds;

public sealed class CustomResourceDefinitionsTests
{
    [Fact]
    public void Kinds_AreIstiosAndMeshsOwn_NotTheGatewayApis()
    {
        var expected = ResourceKinds.All.Where(k => k.Group is "networking.istio.io" or "security.istio.io" or "policy.mesh.dev");
        Assert.Equal(expected, CustomResourceDefinitions.Kinds);
        Assert.DoesNotContain(CustomResourceDefinitions.Kinds, k => k.Group == "gateway.networking.k8s.io");
    }

    [Fact]
    public void VirtualService_HasIstiosNamesVersionsAndColumns()
    {
        var crd = CustomResourceDefinitions.For(ResourceKinds.VirtualService);
        Assert.Equal("apiextensions.k8s.io/v1", crd["apiVersion"]!.GetValue<string>());
        Assert.Equal("virtualservices.networking.istio.io", crd["metadata"]!["name"]!.GetValue<string>());
        var spec = crd["spec"]!;
        Assert.Equal("networking.istio.io", spec["group"]!.GetValue<string>());
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        var names = spec["names"]!;
        Assert.Equal("VirtualService", names["kind"]!.GetValue<string>());
        Assert.Equal("virtualservices", names["plural"]!.GetValue<string>());
        Assert.Equal("virtualservice", names["singular"]!.GetValue<string>());
        Assert.Equal(["vs"], Strings(names["shortNames"]));
        Assert.Contains("istio-io", Strings(names["categories"]));

        var versions = spec["versions"]!.AsArray();
        Assert.Equal(["v1", "v1beta1", "v1alpha3"], versions.Select(v => v!["name"]!.GetValue<string>()));
        Assert.All(versions, v => Assert.True(v!["served"]!.GetValue<bool>()));
        Assert.Equal(["v1"], versions.Where(v => v!["storage"]!.GetValue<bool>()).Select(v => v!["name"]!.GetValue<string>()));
        Assert.All(versions, v => Assert.NotNull(v!["subresources"]?["status"]));
        Assert.Equal(["Gateways", "Hosts", "Age"], versions[0]!["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("AuthorizationPolicy", "authorizationpolicies.security.istio.io", "ap", "v1,v1beta1")]
    [InlineData("Sidecar", "sidecars.networking.istio.io", "", "v1,v1beta1,v1alpha3")]
    [InlineData("ApiPolicy", "apipolicies.policy.mesh.dev", "apol", "v1")]
    public void Each_KindsNamesAndVersionsFollowResourceKinds(string kind, string name, string shortName, string versions)
    {
        var crd = CustomResourceDefinitions.For(ResourceKinds.FromKindName(kind)!);
        Assert.Equal(name, crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(shortName.Length == 0 ? [] : [shortName], Strings(crd["spec"]!["names"]!["shortNames"]));
        Assert.Equal(versions.Split(','), crd["spec"]!["versions"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        Assert.Single(crd["spec"]!["versions"]!.AsArray(), v => v!["storage"]!.GetValue<bool>());
    }

    [Fact]
    public void Status_IsAnObjectThatKeepsWhatTheStatusWriterPutsIn()
    {
        foreach (var kind in CustomResourceDefinitions.Kinds)
        {
            var status = CustomResourceDefinitions.For(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!;
            Assert.Equal("object", status["type"]!.GetValue<string>());
            Assert.True(status["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>(), kind.Kind);
        }
    }

    [Fact]
    public void PrinterColumns_NameFieldsTheSpecSchemaHas()
    {
        foreach (var kind in CustomResourceDefinitions.Kinds)
        {
            var version = CustomResourceDefinitions.For(kind)["spec"]!["versions"]![0]!;
            var root = version["schema"]!["openAPIV3Schema"]!;
            foreach (var column in version["additionalPrinterColumns"]!.AsArray())
            {
                var path = column!["jsonPath"]!.GetValue<string>();
                if (path == ".metadata.creationTimestamp") continue;
                JsonNode? node = root;
                foreach (var field in path.TrimStart('.').Split('.')) node = node?["properties"]?[field];
                Assert.True(node is not null, $"{kind.Kind} column {column["name"]} names {path}, which the schema does not have");
            }
        }
    }

    private static List<string> Strings(JsonNode? list) => [.. (list as JsonArray ?? []).Select(n => n!.GetValue<string>())];
}
