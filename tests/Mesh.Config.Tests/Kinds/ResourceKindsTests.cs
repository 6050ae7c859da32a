using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;

namespace Mesh.Config.Tests.Kinds;

public class ResourceKindsTests
{
    [Theory]
    [InlineData("gateways", "networking.istio.io")]
    [InlineData("gateway", "networking.istio.io")]
    [InlineData("gw", "networking.istio.io")]
    [InlineData("gateways.networking.istio.io", "networking.istio.io")]
    [InlineData("gtw", "gateway.networking.k8s.io")]
    [InlineData("gateways.gateway.networking.k8s.io", "gateway.networking.k8s.io")]
    [InlineData("gateway.gateway.networking.k8s.io", "gateway.networking.k8s.io")]
    [InlineData("Gateway.gateway.networking.k8s.io", "gateway.networking.k8s.io")]
    public void Resolve_GatewaysMeanIstiosUnlessQualified(string typed, string group)
        => Assert.Equal(group, ResourceKinds.Resolve(typed)!.Group);

    [Theory]
    [InlineData("gc", KindNames.GatewayClass)]
    [InlineData("gatewayclasses", KindNames.GatewayClass)]
    [InlineData("httproutes", KindNames.HttpRoute)]
    [InlineData("grpcroutes", KindNames.GrpcRoute)]
    [InlineData("refgrant", KindNames.ReferenceGrant)]
    [InlineData("referencegrants", KindNames.ReferenceGrant)]
    public void Resolve_GatewayApiNames(string typed, string kind) => Assert.Equal(kind, ResourceKinds.Resolve(typed)!.Kind);

    [Fact]
    public void FromDocument_TheGroupDecidesWhichGateway()
    {
        Assert.Same(ResourceKinds.Gateway, ResourceKinds.FromDocument("networking.istio.io/v1", "Gateway"));
        Assert.Same(ResourceKinds.GatewayApiGateway, ResourceKinds.FromDocument("gateway.networking.k8s.io/v1", "Gateway"));
        Assert.Same(ResourceKinds.ReferenceGrant, ResourceKinds.FromDocument("gateway.networking.k8s.io/v1beta1", "ReferenceGrant"));
        Assert.Same(ResourceKinds.ReferenceGrant, ResourceKinds.FromDocument("gateway.networking.k8s.io/v1", "ReferenceGrant"));
        Assert.Null(ResourceKinds.FromDocument("gateway.networking.k8s.io/v1", "Gateway.gateway.networking.k8s.io"));
    }

    [Fact]
    public void Keys_IstioGatewayKeepsItsKey_GatewayApiGatewayIsQualified()
    {
        var istio = Validate("networking.istio.io/v1", "{\"servers\":[{\"port\":{\"number\":80,\"name\":\"http\",\"protocol\":\"HTTP\"},\"hosts\":[\"*\"]}]}");
        var api = Validate("gateway.networking.k8s.io/v1", "{\"gatewayClassName\":\"mesh\",\"listeners\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"HTTP\"}]}");
        Assert.Equal("Gateway/default/web", istio.Resource!.Key);
        Assert.Equal("Gateway.gateway.networking.k8s.io/default/web", api.Resource!.Key);
        Assert.Same(ResourceKinds.GatewayApiGateway, ResourceKinds.FromKindName(Keys.ResourceKey.Parse(api.Resource.Key).Kind));
    }

    [Fact]
    public void RoundTrip_AManifestWrittenBackHasItsManifestKind()
    {
        var api = Validate("gateway.networking.k8s.io/v1", "{\"gatewayClassName\":\"mesh\",\"listeners\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"HTTP\"}]}");
        var written = new JsonObject
        {
            ["apiVersion"] = api.Resource!.ApiVersion,
            ["kind"] = api.Resource.Kind.ManifestKind,
            ["metadata"] = new JsonObject { ["name"] = api.Resource.Metadata.Name, ["namespace"] = api.Resource.Metadata.Namespace },
            ["spec"] = api.Resource.Spec.DeepClone(),
        };
        var again = ResourceValidator.Validate(written);
        Assert.Equal(api.Resource.Key, again.Resource!.Key);
    }

    [Fact]
    public void GatewayClass_IsStoredInTheClusterNamespace()
    {
        var root = (JsonObject)JsonNode.Parse("""{"apiVersion":"gateway.networking.k8s.io/v1","kind":"GatewayClass","metadata":{"name":"mesh","namespace":"prod"},"spec":{"controllerName":"mesh.dev/gateway-controller"}}""")!;
        var result = ResourceValidator.Validate(root);
        Assert.Equal($"GatewayClass/{ResourceKinds.ClusterNamespace}/mesh", result.Resource!.Key);
    }

    [Fact]
    public void WrongApiVersion_NamesBothGroupsThatServeGateway()
    {
        var result = Validate("gateway.networking.k8s.io/v1alpha1", "{}");
        var error = Assert.Single(result.Errors, e => e.Path == "apiVersion");
        Assert.Contains("networking.istio.io/v1", error.Reason);
        Assert.Contains("gateway.networking.k8s.io/v1", error.Reason);
    }

    private static ValidationResult Validate(string apiVersion, string spec) => ResourceValidator.Validate(new JsonObject
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = "Gateway",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default" },
        ["spec"] = JsonNode.Parse(spec),
    });
}
