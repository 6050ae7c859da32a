using Mesh.Grains.Config;
using Mesh.Silo.Api;

namespace Mesh.Silo.Tests.Api;

public sealed class ResourceMapperTests
{
    private static StoredConfig Stored(string? status) => new()
    {
        Kind = "HTTPRoute", ApiVersion = "gateway.networking.k8s.io/v1", Namespace = "shop", Name = "web", Uid = "u",
        SpecJson = """{"hostnames": ["a.example.com"]}""", Generation = 2, ResourceVersion = 5, StatusJson = status,
    };

    [Fact]
    public void A_stored_status_is_the_resources_status_beside_its_spec()
    {
        var resource = ResourceMapper.ToApi(Stored("""{"parents": [{"conditions": [{"type": "Accepted", "status": "True", "observedGeneration": 2}]}]}"""));

        var condition = resource.Status.Fields["parents"].ListValue.Values[0].StructValue.Fields["conditions"].ListValue.Values[0].StructValue;
        Assert.Equal("Accepted", condition.Fields["type"].StringValue);
        Assert.Equal(2, condition.Fields["observedGeneration"].NumberValue);
        Assert.Equal(2, resource.Metadata.Generation);
        Assert.Equal("a.example.com", resource.Spec.Fields["hostnames"].ListValue.Values[0].StringValue);
    }

    [Fact]
    public void A_resource_without_status_has_none()
    {
        Assert.Null(ResourceMapper.ToApi(Stored(null)).Status);
    }
}
