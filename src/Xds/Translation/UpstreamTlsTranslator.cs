using System.Text.Json.Nodes;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>A DestinationRule's <c>trafficPolicy.tls</c>, for Mesh's sidecar, as cluster metadata: gRPC clients NACK
/// an SDS-based transport socket, so the TLS Istio would put there travels in <c>filter_metadata["mesh"].tls</c>,
/// which they ignore. No tls means auto mTLS: mTLS to endpoints whose workload has a sidecar.</summary>
internal static class UpstreamTlsTranslator
{
    private static readonly string[] Fields = ["mode", "sni", "caCertificates", "clientCertificate", "privateKey", "credentialName"];

    public static void Apply(Cluster cluster, JsonObject? tls)
    {
        if (tls is null) return;
        var settings = new Struct();
        foreach (var field in Fields)
        {
            if (tls.Str(field) is { } value) settings.Fields[field] = Value.ForString(value);
        }
        var names = tls.Array("subjectAltNames").Select(n => n?.GetValue<string>()).OfType<string>().ToList();
        if (names.Count > 0) settings.Fields["subjectAltNames"] = Value.ForList([.. names.Select(Value.ForString)]);
        if (tls.Bool("insecureSkipVerify") is { } skip) settings.Fields["insecureSkipVerify"] = Value.ForBool(skip);
        cluster.Metadata ??= new Metadata();
        if (!cluster.Metadata.FilterMetadata.TryGetValue(SidecarMetadata.Namespace, out var mesh))
        {
            mesh = new Struct();
            cluster.Metadata.FilterMetadata[SidecarMetadata.Namespace] = mesh;
        }
        mesh.Fields[SidecarMetadata.Tls] = Value.ForStruct(settings);
    }
}
