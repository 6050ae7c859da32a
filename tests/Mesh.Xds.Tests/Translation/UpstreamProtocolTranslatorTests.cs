using Envoy.Extensions.Upstreams.Http.V3;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

public sealed class UpstreamProtocolTranslatorTests
{
    // Istio's sidecar speaks the application's protocol: HTTP is HTTP/1.1, HTTP2 and gRPC are HTTP/2, and a port whose
    // protocol it does not know as HTTP follows the caller (use_downstream_protocol_config).
    [Theory]
    [InlineData("HTTP", HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.HttpProtocolOptions)]
    [InlineData("http", HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.HttpProtocolOptions)]
    [InlineData("HTTP2", HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.Http2ProtocolOptions)]
    [InlineData("GRPC", HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.Http2ProtocolOptions)]
    [InlineData("GRPC-WEB", HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.Http2ProtocolOptions)]
    [InlineData("TCP", null)]
    [InlineData("", null)]
    public void A_cluster_carries_the_ports_protocol_as_Envoys_HttpProtocolOptions(string protocol, HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase? expected)
    {
        var model = Bookinfo.Model();
        model = model with { Ports = [model.Ports[0] with { Port = model.Ports[0].Port with { Protocol = protocol } }] };

        var cluster = ClusterTranslator.Translate(model, Bookinfo.Port, "")!;

        var options = cluster.TypedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].Unpack<HttpProtocolOptions>();
        if (expected is null) Assert.NotNull(options.UseDownstreamProtocolConfig);
        else Assert.Equal(expected, options.ExplicitHttpConfig.ProtocolConfigCase);
    }
}
