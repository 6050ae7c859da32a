using Envoy.Config.Cluster.V3;
using Envoy.Extensions.Upstreams.Http.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Http1 = Envoy.Config.Core.V3.Http1ProtocolOptions;
using Http2 = Envoy.Config.Core.V3.Http2ProtocolOptions;
using Http3 = Envoy.Config.Core.V3.Http3ProtocolOptions;

namespace Mesh.Sidecar.Tests.Config;

public sealed class UpstreamProtocolsTests
{
    private const string Key = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    public static TheoryData<string, HttpProtocolOptions?, UpstreamProtocol> Clusters => new()
    {
        { "HTTP port", new HttpProtocolOptions { ExplicitHttpConfig = new() { HttpProtocolOptions = new Http1() } }, UpstreamProtocol.Http1 },
        { "gRPC port", new HttpProtocolOptions { ExplicitHttpConfig = new() { Http2ProtocolOptions = new Http2() } }, UpstreamProtocol.Http2 },
        { "other port", new HttpProtocolOptions { UseDownstreamProtocolConfig = new() { HttpProtocolOptions = new Http1(), Http2ProtocolOptions = new Http2() } }, UpstreamProtocol.Downstream },
        { "nothing said", null, UpstreamProtocol.Downstream },
    };

    [Theory]
    [MemberData(nameof(Clusters))]
    public void The_cluster_says_which_protocol_the_application_speaks(string _, HttpProtocolOptions? options, UpstreamProtocol protocol)
    {
        var cluster = new Cluster { Name = "c" };
        if (options is not null) cluster.TypedExtensionProtocolOptions[Key] = Any.Pack(options);
        var errors = new List<string>();

        Assert.Equal(protocol, UpstreamProtocols.Of(cluster, "Cluster c", errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void HTTP3_is_refused_with_the_field_path()
    {
        var cluster = new Cluster { Name = "c" };
        cluster.TypedExtensionProtocolOptions[Key] = Any.Pack(new HttpProtocolOptions { ExplicitHttpConfig = new() { Http3ProtocolOptions = new Http3() } });
        var errors = new List<string>();

        UpstreamProtocols.Of(cluster, "Cluster c", errors);

        Assert.StartsWith($"Cluster c.typed_extension_protocol_options[{Key}].explicit_http_config: Http3ProtocolOptions is not supported", Assert.Single(errors));
    }
}
