using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;
using Mesh.Xds.Server;

namespace Mesh.Xds.Tests.Server;

public class ProxyNodeFactsTests
{
    private const string NodeId = "sidecar~10.0.0.7~reviews-v1.bookinfo~bookinfo.svc.cluster.local";

    [Fact]
    public void The_metadata_gives_the_namespace_and_the_string_labels()
    {
        var labels = new Struct { Fields = { ["app"] = Value.ForString("reviews"), ["version"] = Value.ForString("v1"), ["replicas"] = Value.ForNumber(2) } };
        var node = new Node
        {
            Id = NodeId,
            Metadata = new Struct { Fields = { [NodeMetadata.Namespace] = Value.ForString("shop"), [NodeMetadata.Labels] = Value.ForStruct(labels) } },
        };

        var facts = ProxyNodeFacts.Of(node);

        Assert.Equal("shop", facts.Namespace);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "reviews", ["version"] = "v1" }, facts.Labels);
    }

    [Fact]
    public void Without_metadata_the_namespace_comes_from_the_node_id_and_there_are_no_labels()
    {
        var facts = ProxyNodeFacts.Of(new Node { Id = NodeId });

        Assert.Equal("bookinfo", facts.Namespace);
        Assert.Empty(facts.Labels);
        Assert.Equal("", ProxyNodeFacts.Of(new Node { Id = "grpc-client-1" }).Namespace);
    }
}
