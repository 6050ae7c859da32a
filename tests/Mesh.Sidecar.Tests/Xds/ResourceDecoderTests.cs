using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Xds;
using Mesh.Xds.Resources;
using Resource = Envoy.Service.Discovery.V3.Resource;

namespace Mesh.Sidecar.Tests.Xds;

public sealed class ResourceDecoderTests
{
    public static TheoryData<string, IMessage, string> EachType => new()
    {
        { TypeUrls.Listener, new Listener { Name = "reviews:9080" }, "reviews:9080" },
        { TypeUrls.Route, new RouteConfiguration { Name = "9080" }, "9080" },
        { TypeUrls.Cluster, new Cluster { Name = "outbound|9080||reviews" }, "outbound|9080||reviews" },
        { TypeUrls.Endpoint, new ClusterLoadAssignment { ClusterName = "outbound|9080||reviews" }, "outbound|9080||reviews" },
        { TypeUrls.Secret, new Secret { Name = "ROOTCA" }, "ROOTCA" },
    };

    [Theory]
    [MemberData(nameof(EachType))]
    public void Each_type_decodes_to_its_Envoy_message_named_as_the_message_names_itself(string type, IMessage message, string name)
    {
        var (resource, error) = ResourceDecoder.Decode(type, Any.Pack(message), version: "v7");

        Assert.Null(error);
        Assert.Equal(name, resource!.Name);
        Assert.Equal("v7", resource.Version);
        Assert.Equal(message, resource.Message);
    }

    [Fact]
    public void A_wrapped_resource_is_unwrapped_and_keeps_the_wrappers_name_and_version()
    {
        var wrapped = new Resource { Name = "alias", Version = "r3", Resource_ = Any.Pack(new Cluster { Name = "outbound|80||web" }) };

        var (resource, error) = ResourceDecoder.Decode(TypeUrls.Cluster, Any.Pack(wrapped), version: "v7");

        Assert.Null(error);
        Assert.Equal(("alias", "r3"), (resource!.Name, resource.Version));
        Assert.Equal("outbound|80||web", Assert.IsType<Cluster>(resource.Message).Name);
    }

    [Fact]
    public void A_resource_of_another_type_than_the_response_is_refused_naming_both()
    {
        var (resource, error) = ResourceDecoder.Decode(TypeUrls.Listener, Any.Pack(new Cluster { Name = "c" }));

        Assert.Null(resource);
        Assert.Equal($"a {TypeUrls.Listener} response holds a {TypeUrls.Cluster}", error);
    }

    [Fact]
    public void A_type_the_sidecar_does_not_consume_is_refused()
    {
        const string type = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";

        var (_, error) = ResourceDecoder.Decode(type, new Any { TypeUrl = type });

        Assert.Equal($"cannot decode a {type} resource: type {type} is not consumed by mesh-sidecar", error);
    }

    [Fact]
    public void Bytes_that_are_no_message_are_refused_with_the_types_short_name()
    {
        var (_, error) = ResourceDecoder.Decode(TypeUrls.Route, new Any { TypeUrl = TypeUrls.Route, Value = ByteString.CopyFrom(0xFF, 0xFF, 0xFF) });

        Assert.StartsWith("cannot decode a RDS resource: ", error);
    }

    [Fact]
    public void A_state_of_the_world_response_is_decoded_whole_at_its_version_or_refused_whole()
    {
        Any[] good = [Any.Pack(new Cluster { Name = "a" }), Any.Pack(new Cluster { Name = "b" })];

        var (resources, error) = ResourceDecoder.Decode(TypeUrls.Cluster, good, "v2");
        var (none, refusal) = ResourceDecoder.Decode(TypeUrls.Cluster, [.. good, Any.Pack(new Listener { Name = "l" })], "v2");

        Assert.Null(error);
        Assert.Equal([("a", "v2"), ("b", "v2")], resources.Select(r => (r.Name, r.Version)));
        Assert.Empty(none);
        Assert.Equal($"a {TypeUrls.Cluster} response holds a {TypeUrls.Listener}", refusal);
    }

    [Fact]
    public void A_delta_response_keeps_each_resources_version_and_an_error_names_the_resource()
    {
        Resource[] good = [new() { Name = "a", Version = "1", Resource_ = Any.Pack(new Cluster { Name = "a" }) }];
        Resource[] bad = [.. good, new() { Name = "b", Version = "2", Resource_ = Any.Pack(new Listener { Name = "b" }) }];

        var (resources, error) = ResourceDecoder.Decode(TypeUrls.Cluster, good);
        var (_, refusal) = ResourceDecoder.Decode(TypeUrls.Cluster, bad);

        Assert.Null(error);
        Assert.Equal(("a", "1"), (resources.Single().Name, resources.Single().Version));
        Assert.Equal($"b: a {TypeUrls.Cluster} response holds a {TypeUrls.Listener}", refusal);
    }
}
