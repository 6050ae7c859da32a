using Envoy.Config.Cluster.V3;
using Http1ProtocolOptions = Envoy.Config.Core.V3.Http1ProtocolOptions;
using Http2ProtocolOptions = Envoy.Config.Core.V3.Http2ProtocolOptions;
using Envoy.Extensions.Upstreams.Http.V3;
using Google.Protobuf.WellKnownTypes;

namespace Mesh.Xds.Translation;

/// <summary>Which HTTP version a sidecar speaks to a cluster's endpoints, from the service port's protocol as Istio
/// chooses it: HTTP is HTTP/1.1, HTTP2 and the gRPC protocols are HTTP/2 (h2c, or h2 inside mTLS), anything else (an
/// unset or TCP-ish protocol) follows the caller. Carried as Envoy carries it, in
/// <c>typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]</c>.</summary>
internal static class UpstreamProtocolTranslator
{
    public static void Apply(Cluster cluster, string protocol)
    {
        var options = new HttpProtocolOptions();
        switch (protocol.ToUpperInvariant())
        {
            case "HTTP":
                options.ExplicitHttpConfig = new HttpProtocolOptions.Types.ExplicitHttpConfig { HttpProtocolOptions = new Http1ProtocolOptions() };
                break;
            case "HTTP2" or "GRPC" or "GRPC-WEB":
                options.ExplicitHttpConfig = new HttpProtocolOptions.Types.ExplicitHttpConfig { Http2ProtocolOptions = new Http2ProtocolOptions() };
                break;
            default:
                options.UseDownstreamProtocolConfig = new HttpProtocolOptions.Types.UseDownstreamHttpConfig
                {
                    HttpProtocolOptions = new Http1ProtocolOptions(),
                    Http2ProtocolOptions = new Http2ProtocolOptions(),
                };
                break;
        }
        cluster.TypedExtensionProtocolOptions[HttpProtocolOptions.Descriptor.FullName] = Any.Pack(options);
    }
}
