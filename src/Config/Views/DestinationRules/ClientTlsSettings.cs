using System.Text.Json.Nodes;

namespace Mesh.Config.Views.DestinationRules;

/// <summary>Istio's <c>ClientTLSSettings</c>: how a client's sidecar speaks TLS to the host's endpoints.</summary>
public sealed record ClientTlsSettings
{
    public string? Mode { get; init; }
    public string? Sni { get; init; }
    public string? CaCertificates { get; init; }
    public string? ClientCertificate { get; init; }
    public string? PrivateKey { get; init; }
    public string? CredentialName { get; init; }
    public IReadOnlyList<string> SubjectAltNames { get; init; } = [];
    public bool? InsecureSkipVerify { get; init; }

    internal static ClientTlsSettings? From(JsonObject? tls) => tls is null ? null : new()
    {
        Mode = tls.Str("mode"),
        Sni = tls.Str("sni"),
        CaCertificates = tls.Str("caCertificates"),
        ClientCertificate = tls.Str("clientCertificate"),
        PrivateKey = tls.Str("privateKey"),
        CredentialName = tls.Str("credentialName"),
        SubjectAltNames = tls.Strings("subjectAltNames"),
        InsecureSkipVerify = tls.Bool("insecureSkipVerify"),
    };
}
