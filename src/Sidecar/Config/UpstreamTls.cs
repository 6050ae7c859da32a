namespace Mesh.Sidecar.Config;

/// <summary>Istio's DestinationRule TLS modes; <see cref="Auto"/> is auto mTLS (no tls set): mTLS to endpoints whose
/// workload has a sidecar, plain text to the rest.</summary>
public enum UpstreamTlsMode { Auto, Disable, Simple, Mutual, IstioMutual }

/// <summary>How the sidecar speaks TLS to one cluster: the mode, and for SIMPLE and MUTUAL the files and names
/// Istio's DestinationRule gives.</summary>
public sealed record UpstreamTls(
    UpstreamTlsMode Mode,
    string? Sni = null,
    string? CaCertificates = null,
    string? ClientCertificate = null,
    string? PrivateKey = null,
    IReadOnlyList<string>? SubjectAltNames = null,
    bool InsecureSkipVerify = false)
{
    public static UpstreamTls Auto { get; } = new(UpstreamTlsMode.Auto);

    /// <summary>Whether a request to this endpoint goes over TLS, for a sidecar that has (or lacks) an identity.</summary>
    public bool UsesTls(EndpointModel endpoint, bool hasIdentity) => Mode switch
    {
        UpstreamTlsMode.Disable => false,
        UpstreamTlsMode.Auto => hasIdentity && endpoint.SidecarMtls,
        _ => true,
    };
}
