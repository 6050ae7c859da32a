#pragma warning disable CS0612, CS0618 // http2_protocol_options on the cluster is deprecated but still sent.
using Envoy.Config.Cluster.V3;
using Envoy.Extensions.Upstreams.Http.V3;

namespace Mesh.Sidecar.Config;

/// <summary>Which HTTP version the sidecar speaks to a cluster's endpoints: the application's protocol where the
/// control plane says it (Istio: HTTP is HTTP/1.1, HTTP2 and gRPC are HTTP/2), else the caller's.</summary>
public enum UpstreamProtocol { Downstream, Http1, Http2 }

internal static class UpstreamProtocols
{
    private static readonly string Key = HttpProtocolOptions.Descriptor.FullName;

    /// <summary>From <c>typed_extension_protocol_options</c> (Envoy's HttpProtocolOptions), or the deprecated
    /// <c>http2_protocol_options</c>; a cluster that says nothing follows the caller.</summary>
    public static UpstreamProtocol Of(Cluster cluster, string where, List<string> errors)
    {
        if (!cluster.TypedExtensionProtocolOptions.TryGetValue(Key, out var any))
        {
            return cluster.Http2ProtocolOptions is not null ? UpstreamProtocol.Http2 : UpstreamProtocol.Downstream;
        }
        var field = $"{where}.typed_extension_protocol_options[{Key}]";
        if (!any.TryUnpack<HttpProtocolOptions>(out var options))
        {
            errors.Add($"{field}: not an HttpProtocolOptions ({any.TypeUrl})");
            return UpstreamProtocol.Downstream;
        }
        if (options.UpstreamProtocolOptionsCase != HttpProtocolOptions.UpstreamProtocolOptionsOneofCase.ExplicitHttpConfig) return UpstreamProtocol.Downstream;
        switch (options.ExplicitHttpConfig.ProtocolConfigCase)
        {
            case HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.HttpProtocolOptions:
                return UpstreamProtocol.Http1;
            case HttpProtocolOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.Http2ProtocolOptions:
                return UpstreamProtocol.Http2;
            default:
                errors.Add($"{field}.explicit_http_config: {options.ExplicitHttpConfig.ProtocolConfigCase} is not supported by mesh-sidecar (http_protocol_options or http2_protocol_options)");
                return UpstreamProtocol.Downstream;
        }
    }
}
