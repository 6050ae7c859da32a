using Mesh.Grains.Config;
using Mesh.Grains.Endpoints;
using Mesh.Grains.Services;

namespace Mesh.Grains.Tests.Services;

public sealed class ServiceEntryReaderTests
{
    [Fact]
    public void Hosts_QualifiesShortNamesWithTheEntrysNamespace()
    {
        var entry = Config("ServiceEntry", """{"hosts":["api.example.com","reviews"]}""");

        Assert.Equal(["api.example.com", "reviews.shop.svc.cluster.local"], ServiceEntryReader.Hosts(entry));
    }

    [Fact]
    public void Hosts_NoHosts_Empty()
    {
        Assert.Empty(ServiceEntryReader.Hosts(Config("ServiceEntry", "{}")));
    }

    [Fact]
    public void Targets_AreTheHostsThenEachSingleAddress()
    {
        var entry = Config("ServiceEntry", """{"hosts":["reviews"],"addresses":["10.96.0.5","10.96.0.6/32","10.97.0.0/16","10.96.0.5"]}""");

        Assert.Equal(["10.96.0.5", "10.96.0.6"], ServiceEntryReader.Addresses(entry));
        Assert.Equal(["reviews.shop.svc.cluster.local", "10.96.0.5", "10.96.0.6"], ServiceEntryReader.Targets(entry));
        var view = ServiceEntryReader.View(entry);
        Assert.Equal(["reviews.shop.svc.cluster.local"], view.Hosts);
        Assert.Equal(["10.96.0.5", "10.96.0.6"], view.Addresses);
    }

    [Fact]
    public void View_ReadsPortsSelectorAndDefaults()
    {
        var entry = Config("ServiceEntry", """
            {"hosts":["reviews.example.com"],
             "ports":[{"number":80,"name":"http","protocol":"HTTP","targetPort":8080},{"number":443,"name":"https","protocol":"TLS"}],
             "workloadSelector":{"labels":{"app":"reviews"}}}
            """);

        var view = ServiceEntryReader.View(entry);

        Assert.Equal("ServiceEntry/shop/se", view.Key);
        Assert.Equal("shop", view.Namespace);
        Assert.Equal([new ServicePort(80, "http", "HTTP", 8080), new ServicePort(443, "https", "TLS", 0)], view.Ports);
        Assert.Equal("NONE", view.Resolution);
        Assert.Equal("MESH_EXTERNAL", view.Location);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "reviews" }, view.WorkloadSelector);
        Assert.Empty(view.InlineEndpoints);
    }

    [Fact]
    public void View_WithoutSelector_SelectorIsNull()
    {
        var view = ServiceEntryReader.View(Config("ServiceEntry", """{"hosts":["a.example.com"],"resolution":"DNS","location":"MESH_INTERNAL"}"""));

        Assert.Null(view.WorkloadSelector);
        Assert.Equal("DNS", view.Resolution);
        Assert.Equal("MESH_INTERNAL", view.Location);
    }

    [Fact]
    public void View_InlineEndpoints_KeyedByEntryAndIndex()
    {
        var view = ServiceEntryReader.View(Config("ServiceEntry", """
            {"hosts":["a.example.com"],
             "endpoints":[{"address":"192.0.2.1","ports":{"http":8080},"labels":{"version":"v1"},"weight":3,"locality":"eu/west"},
                          {"address":"192.0.2.2"}]}
            """));

        Assert.Collection(view.InlineEndpoints,
            first =>
            {
                Assert.Equal("ServiceEntry/shop/se#0", first.Key);
                Assert.Equal("192.0.2.1", first.Address);
                Assert.Equal(8080, first.Ports["http"]);
                Assert.Equal("v1", first.Labels["version"]);
                Assert.Equal(3, first.Weight);
                Assert.Equal("eu/west", first.Locality);
            },
            second =>
            {
                Assert.Equal("ServiceEntry/shop/se#1", second.Key);
                Assert.Equal(0, second.Weight);
                Assert.Empty(second.Labels);
            });
    }

    [Fact]
    public void WorkloadEntry_ReadsAddressPortsLabelsAndIdentity()
    {
        var workload = ServiceEntryReader.WorkloadEntry(Config("WorkloadEntry", """
            {"address":"10.0.0.1","ports":{"http":9080},"labels":{"app":"reviews"},"network":"n1","serviceAccount":"reviews","weight":2}
            """, name: "vm-1"));

        Assert.Equal("shop/vm-1", workload.Key);
        Assert.Equal("shop", workload.Namespace);
        Assert.Equal("10.0.0.1", workload.Address);
        Assert.Equal(9080, workload.Ports["http"]);
        Assert.Equal("reviews", workload.Labels["app"]);
        Assert.Equal("n1", workload.Network);
        Assert.Equal("reviews", workload.ServiceAccount);
        Assert.Equal(2, workload.Weight);
    }

    [Theory]
    [InlineData("app=reviews", true)]
    [InlineData("app=reviews,version=v1", true)]
    [InlineData("app=ratings", false)]
    [InlineData("tier=web", false)]
    public void Selects_MatchesWhenEveryLabelIsCarried(string selector, bool expected)
    {
        var labels = selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var workload = new WorkloadInfo
        {
            Key = "shop/a",
            Namespace = "shop",
            Address = "10.0.0.1",
            Labels = new() { ["app"] = "reviews", ["version"] = "v1" },
        };

        Assert.Equal(expected, ServiceEntryReader.Selects(labels, workload));
    }

    [Fact]
    public void Selects_NullSelector_SelectsNothing()
    {
        var workload = new WorkloadInfo { Key = "shop/a", Namespace = "shop", Address = "10.0.0.1" };

        Assert.False(ServiceEntryReader.Selects(null, workload));
    }

    private static StoredConfig Config(string kind, string specJson, string name = "se") => new()
    {
        Kind = kind,
        ApiVersion = "networking.istio.io/v1",
        Namespace = "shop",
        Name = name,
        SpecJson = specJson,
        Uid = "uid",
    };
}
