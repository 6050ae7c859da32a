using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Config.Views.DestinationRules;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>A DestinationRule's <c>trafficPolicy.tls</c>, for Mesh's sidecar, as cluster metadata: gRPC clients NACK
/// an SDS-based transport socket, so the TLS Istio would put there travels in <c>filter_metadata["mesh"].tls</c>,
/// which they ignore. No tls means auto mTLS: mTLS to endpoints whose workload has a sidecar.</summary>
internal static class UpstreamTlsTranslator
{
    public static void Apply(Cluster cluster, ClientTlsSettings? tls)
    {
        if (tls is null) return;
        var settings = new Struct();
        // Istio's field names, in this order, as the sidecar reads them.
        (string Field, string? Value)[] fields =
        [
            ("mode", tls.Mode), ("sni", tls.Sni), ("caCertificates", tls.CaCertificates), ("clientCertificate", tls.ClientCertificate),
            ("privateKey", tls.PrivateKey), ("credentialName", tls.CredentialName),
        ];
        foreach (var (field, text) in fields)
        {
            if (text is { } value) settings.Fields[field] = Value.ForString(value);
        }
        if (tls.SubjectAltNames.Count > 0) settings.Fields["subjectAltNames"] = Value.ForList([.. tls.SubjectAltNames.Select(Value.ForString)]);
        if (tls.InsecureSkipVerify is { } skip) settings.Fields["insecureSkipVerify"] = Value.ForBool(skip);
        cluster.Metadata ??= new Metadata();
        if (!cluster.Metadata.FilterMetadata.TryGetValue(SidecarMetadata.Namespace, out var mesh))
        {
            mesh = new Struct();
            cluster.Metadata.FilterMetadata[SidecarMetadata.Namespace] = mesh;
        }
        mesh.Fields[SidecarMetadata.Tls] = Value.ForStruct(settings);
    }
}
