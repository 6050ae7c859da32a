using System.Text.Json.Nodes;
using Mesh.Kubernetes.Injection;

namespace Mesh.Kubernetes.Tests.Injection;

public sealed class RootCertPlanTests
{
    private const string Roots = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    [Fact]
    public void Writes_MissingConfigMap_IsCreatedInEveryNamespaceButTheSystemOnes()
    {
        var writes = RootCertPlan.Writes([Ns("shop"), Ns("default"), Ns("kube-system"), Ns("kube-public"), Ns("kube-node-lease")], new Dictionary<string, JsonObject>(), Roots);

        Assert.Equal(["shop", "default"], writes.Select(w => w.Namespace));
        Assert.All(writes, w => Assert.Null(w.ResourceVersion));
    }

    [Fact]
    public void Writes_CurrentConfigMap_IsLeftAlone()
    {
        var writes = RootCertPlan.Writes([Ns("shop")], new Dictionary<string, JsonObject> { ["shop"] = ConfigMap(Roots, "7") }, Roots);

        Assert.Empty(writes);
    }

    [Theory]
    [InlineData("edited")]
    [InlineData("rotated")]
    [InlineData("extra-key")]
    [InlineData("no-data")]
    public void Writes_ConfigMapThatDiffers_IsReplacedAtTheVersionRead(string how)
    {
        var held = how switch
        {
            "edited" => ConfigMap("not a certificate", "7"),
            "rotated" => ConfigMap(Roots, "7"),
            "extra-key" => ConfigMap(Roots, "7", extra: true),
            _ => new JsonObject { ["metadata"] = new JsonObject { ["name"] = "mesh-ca-root-cert", ["namespace"] = "shop", ["resourceVersion"] = "7" } },
        };
        var roots = how == "rotated" ? Roots + Roots : Roots;

        var write = Assert.Single(RootCertPlan.Writes([Ns("shop")], new Dictionary<string, JsonObject> { ["shop"] = held }, roots));

        Assert.Equal(new RootCertWrite("shop", "7"), write);
    }

    [Fact]
    public void Writes_TerminatingNamespace_GetsNothing()
    {
        var terminating = Ns("old");
        terminating["status"] = new JsonObject { ["phase"] = "Terminating" };
        var deleting = Ns("going");
        deleting["metadata"]!["deletionTimestamp"] = "2026-12-06T00:00:00Z";

        Assert.Empty(RootCertPlan.Writes([terminating, deleting], new Dictionary<string, JsonObject>(), Roots));
    }

    [Fact]
    public void Key_IsTheOneTheInjectedVolumeMounts()
    {
        var volume = SidecarTemplate.Volumes(new InjectionSettings { SidecarImage = "i", XdsAddress = "x:1" })
            .Single(v => v["name"]!.GetValue<string>() == InjectionNames.RootCertVolume);

        Assert.Equal(RootCertPlan.Key, volume["configMap"]!["items"]![0]!["key"]!.GetValue<string>());
    }

    private static JsonObject Ns(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    private static JsonObject ConfigMap(string pem, string version, bool extra = false)
    {
        var data = new JsonObject { [RootCertPlan.Key] = pem };
        if (extra) data["other"] = "x";
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "mesh-ca-root-cert", ["namespace"] = "shop", ["resourceVersion"] = version },
            ["data"] = data,
        };
    }
}
