using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mesh.Sidecar.Config;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Security;

/// <summary>YARP's HTTP clients, with the TLS a cluster's DestinationRule asks for. ISTIO_MUTUAL and auto mTLS
/// present the workload certificate current at each handshake (so renewal never touches open connections) and
/// accept a server only if it chains to the mesh's roots and carries the SPIFFE id of one of the cluster's
/// workloads (or the DestinationRule's subjectAltNames); SIMPLE and MUTUAL use the files the rule names. Which
/// endpoints get TLS is the destination's scheme (<see cref="Proxy.YarpClusters"/>).</summary>
public sealed class MeshHttpClientFactory(WorkloadIdentity identity, ConfigStore store, ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    public const string TlsMetadata = "mesh.tls";

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        var clusterId = context.ClusterId;
        var tls = context.NewMetadata is { } metadata && metadata.TryGetValue(TlsMetadata, out var encoded) ? UpstreamTlsText.Decode(encoded) : UpstreamTls.Auto;
        var options = new SslClientAuthenticationOptions { CertificateRevocationCheckMode = X509RevocationMode.NoCheck };
        switch (tls.Mode)
        {
            case UpstreamTlsMode.Auto or UpstreamTlsMode.IstioMutual:
                options.LocalCertificateSelectionCallback = (_, _, _, _, _) => identity.Current?.Leaf!;
                options.RemoteCertificateValidationCallback = (_, certificate, chain, _) => MeshPeer(clusterId, tls, certificate as X509Certificate2, chain);
                break;
            case UpstreamTlsMode.Simple or UpstreamTlsMode.Mutual:
                // Read once per client (a config change), not once per handshake.
                var trusted = tls.CaCertificates is { } file ? TrustedRoots.FromPem(File.ReadAllText(file)) : null;
                if (tls.Sni is { Length: > 0 } sni) options.TargetHost = sni;
                if (tls.Mode == UpstreamTlsMode.Mutual && tls.ClientCertificate is { } cert && tls.PrivateKey is { } key)
                {
                    options.ClientCertificates = [X509Certificate2.CreateFromPemFile(cert, key)];
                }
                options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ExternalServer(tls, trusted, certificate as X509Certificate2, chain, errors);
                break;
        }
        handler.SslOptions = options;
    }

    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context) && Tls(context.OldMetadata) == Tls(context.NewMetadata);

    private static string? Tls(IReadOnlyDictionary<string, string>? metadata) => metadata is not null && metadata.TryGetValue(TlsMetadata, out var value) ? value : null;

    private bool MeshPeer(string clusterId, UpstreamTls tls, X509Certificate2? certificate, X509Chain? chain)
    {
        if (identity.VerifyPeer(certificate, chain) is not { } peer) return false;
        var expected = tls.SubjectAltNames is { Count: > 0 } names ? names
            : store.Current.Clusters.TryGetValue(clusterId, out var cluster)
                ? cluster.Endpoints.Select(e => new Mesh.Xds.Resources.SpiffeId(peer.TrustDomain, e.WorkloadNamespace, e.ServiceAccount.Length > 0 ? e.ServiceAccount : "default").ToString())
                : [];
        return expected.Contains(peer.ToString()) || expected.Contains(peer.Principal);
    }

    private static bool ExternalServer(UpstreamTls tls, TrustedRoots? trusted, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (tls.InsecureSkipVerify) return true;
        if (certificate is null) return false;
        if (trusted is not null)
        {
            if (!trusted.Chains(certificate, chain)) return false;
            errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
        }
        if (tls.SubjectAltNames is { Count: > 0 } names)
        {
            var dns = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames());
            if (!dns.Any(names.Contains)) return false;
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }
        return errors == SslPolicyErrors.None;
    }
}

/// <summary>A cluster's TLS settings as one metadata string on YARP's cluster (YARP passes metadata to the client
/// factory; the settings themselves are in the model).</summary>
internal static class UpstreamTlsText
{
    public static string Encode(UpstreamTls tls) => System.Text.Json.JsonSerializer.Serialize(tls, UpstreamTlsJson.Default.UpstreamTls);

    public static UpstreamTls Decode(string text) => System.Text.Json.JsonSerializer.Deserialize(text, UpstreamTlsJson.Default.UpstreamTls) ?? UpstreamTls.Auto;
}

/// <summary>The source-generated JSON contract of <see cref="UpstreamTls"/> (no reflection: the sidecar is NativeAOT).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(UpstreamTls))]
internal sealed partial class UpstreamTlsJson : System.Text.Json.Serialization.JsonSerializerContext;
