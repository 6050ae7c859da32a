using Envoy.Config.Cluster.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Config;

/// <summary>Reads a cluster's TLS settings from <c>filter_metadata["mesh"].tls</c> (the DestinationRule's
/// <c>trafficPolicy.tls</c>, which the control plane puts there because proxyless gRPC clients reject SDS transport
/// sockets).</summary>
internal static class UpstreamTlsCompiler
{
    public static UpstreamTls Compile(Cluster cluster, List<string> errors)
    {
        if (cluster.Metadata?.FilterMetadata.TryGetValue(SidecarMetadata.Namespace, out var mesh) != true
            || !mesh!.Fields.TryGetValue(SidecarMetadata.Tls, out var value) || value.StructValue is not { } tls)
        {
            return UpstreamTls.Auto;
        }
        string? Text(string key) => tls.Fields.TryGetValue(key, out var v) && v.KindCase == Value.KindOneofCase.StringValue ? v.StringValue : null;
        var mode = Text("mode") switch
        {
            null or "" => UpstreamTlsMode.Auto,
            "DISABLE" => UpstreamTlsMode.Disable,
            "SIMPLE" => UpstreamTlsMode.Simple,
            "MUTUAL" => UpstreamTlsMode.Mutual,
            "ISTIO_MUTUAL" => UpstreamTlsMode.IstioMutual,
            var other => Unsupported(errors, $"Cluster {cluster.Name}: metadata mesh.tls.mode '{other}' is not DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL"),
        };
        var names = tls.Fields.TryGetValue("subjectAltNames", out var list) ? list.ListValue?.Values.Select(v => v.StringValue).ToList() : null;
        var settings = new UpstreamTls(mode, Text("sni"), Text("caCertificates"), Text("clientCertificate"), Text("privateKey"), names,
            tls.Fields.TryGetValue("insecureSkipVerify", out var skip) && skip.BoolValue);
        if (mode == UpstreamTlsMode.Mutual && (settings.ClientCertificate is null || settings.PrivateKey is null))
        {
            errors.Add($"Cluster {cluster.Name}: tls mode MUTUAL needs clientCertificate and privateKey");
        }
        if (Text("credentialName") is { } credential)
        {
            errors.Add($"Cluster {cluster.Name}: tls.credentialName '{credential}' (a Kubernetes Secret) is for gateways; give a sidecar file paths");
        }
        return settings;
    }

    private static UpstreamTlsMode Unsupported(List<string> errors, string error)
    {
        errors.Add(error);
        return UpstreamTlsMode.Auto;
    }
}
