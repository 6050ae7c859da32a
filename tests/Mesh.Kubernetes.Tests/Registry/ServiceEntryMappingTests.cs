using Mesh.Config.Manifests;
using Mesh.Kubernetes.Registry;
using static Mesh.Kubernetes.Tests.Registry.KubeObjects;
using static Mesh.Kubernetes.Tests.Registry.Rendering;

namespace Mesh.Kubernetes.Tests.Registry;

public class ServiceEntryMappingTests
{
    [Fact]
    public void ClusterIpService_IsAnInternalStaticEntrySelectingItsOwnWorkloads()
    {
        var registry = Map(Service("reviews", [Port(9080, "http", target: 8080)]));

        var entry = Entry(registry, "ServiceEntry/bookinfo/reviews");
        Assert.Equal(
            """{"hosts":["reviews.bookinfo.svc.cluster.local"],"addresses":["10.96.0.10"],"ports":[{"number":9080,"name":"http","protocol":"HTTP","targetPort":8080}],"location":"MESH_INTERNAL","resolution":"STATIC","workloadSelector":{"labels":{"mesh.io/kubernetes-service":"reviews"}}}""",
            entry.Spec.ToJsonString());
        Assert.Equal("kubernetes", entry.Metadata.Annotations[SourceAnnotation.Key]);
        Assert.Empty(registry.Problems);
    }

    [Fact]
    public void DualStackService_HasBothClusterIps()
    {
        var registry = Map(Service("reviews", clusterIps: ["10.96.0.10", "fd00:10:96::a"], families: ["IPv4", "IPv6"]));
        Assert.Contains("""
            "addresses":["10.96.0.10","fd00:10:96::a"]
            """.Trim(), Spec(registry, "ServiceEntry/bookinfo/reviews"));
    }

    [Fact]
    public void HeadlessService_HasNoVirtualIp_AndStaysStaticOnItsEndpoints()
    {
        var registry = Map(Service("db", clusterIps: ["None"]));
        var spec = Spec(registry, "ServiceEntry/bookinfo/db");
        Assert.DoesNotContain("addresses", spec);
        Assert.Contains("\"resolution\":\"STATIC\"", spec);
        Assert.Contains("\"workloadSelector\"", spec);
    }

    [Fact]
    public void ExternalNameService_IsADnsEntryToTheExternalName_WithNoWorkloads()
    {
        var registry = Map(
            Service("payments", [Port(443, "https")], type: "ExternalName", externalName: "api.payments.example.com"),
            Slice("payments-x", "payments", [Endpoint("10.1.0.9")]));

        Assert.Equal(
            """{"hosts":["payments.bookinfo.svc.cluster.local"],"ports":[{"number":443,"name":"https","protocol":"HTTPS"}],"location":"MESH_EXTERNAL","resolution":"DNS","endpoints":[{"address":"api.payments.example.com"}]}""",
            Spec(registry, "ServiceEntry/bookinfo/payments"));
        Assert.Empty(registry.Services.Single().Endpoints);
    }

    [Fact]
    public void ExportToAnnotation_BecomesExportTo()
    {
        var registry = Map(Service("reviews", annotations: new() { [RegistryNames.ExportToAnnotation] = " ., istio-system ,," }));
        Assert.Contains("""
            "exportTo":[".","istio-system"]
            """.Trim(), Spec(registry, "ServiceEntry/bookinfo/reviews"));
    }

    [Theory]
    [InlineData("*,bookinfo", "cannot be combined")]
    [InlineData("Not_A_Namespace", "DNS-1123 label")]
    public void BadExportToAnnotation_RefusesTheService_NamingTheAnnotation(string exportTo, string reason)
    {
        var registry = Map(
            Service("reviews", annotations: new() { [RegistryNames.ExportToAnnotation] = exportTo }),
            Service("ratings"));

        var problem = Assert.Single(registry.Problems);
        Assert.Equal("Service bookinfo/reviews", problem.Source);
        Assert.Equal("metadata.annotations[networking.istio.io/exportTo]", problem.Error.Path);
        Assert.Contains(reason, problem.Error.Reason);
        Assert.Equal(["bookinfo/ratings"], registry.Services.Select(s => s.Service));
    }

    [Fact]
    public void MultiplePorts_EachWithItsProtocol()
    {
        var registry = Map(Service("edge", [
            Port(80, "http-web"),
            Port(8443, "admin", appProtocol: "https"),
            Port(50051, "api", appProtocol: "kubernetes.io/h2c", target: "grpc"),
            Port(53, "dns", protocol: "UDP"),
        ]));
        Assert.Equal(
            """[{"number":80,"name":"http-web","protocol":"HTTP","targetPort":80},{"number":8443,"name":"admin","protocol":"HTTPS","targetPort":8443},{"number":50051,"name":"api","protocol":"HTTP2"},{"number":53,"name":"dns","protocol":"UDP","targetPort":53}]""",
            Entry(registry, "ServiceEntry/bookinfo/edge").Spec["ports"]!.ToJsonString());
    }

    [Fact]
    public void LoneUnnamedPort_IsNamedByProtocolAndNumber()
    {
        var registry = Map(Service("cache", [Port(6379, appProtocol: "redis")]));
        Assert.Contains("\"name\":\"redis-6379\"", Spec(registry, "ServiceEntry/bookinfo/cache"));
    }
}
