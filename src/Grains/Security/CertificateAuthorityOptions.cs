namespace Mesh.Grains.Security;

/// <summary>The certificate authority's settings (section <c>Mesh:Ca</c>).</summary>
public sealed class CertificateAuthorityOptions
{
    /// <summary>The SPIFFE trust domain (default <c>cluster.local</c>, as Istio's).</summary>
    public string TrustDomain { get; set; } = "cluster.local";

    /// <summary><c>ECDSA</c> (P-256, default) or <c>RSA</c> (2048-bit) for generated roots.</summary>
    public string KeyAlgorithm { get; set; } = "ECDSA";

    /// <summary>A folder in the layout of Istio's <c>cacerts</c> Secret (<c>ca-cert.pem</c>, <c>ca-key.pem</c>,
    /// <c>root-cert.pem</c>, <c>cert-chain.pem</c>): when set, Mesh signs with that CA and generates nothing.</summary>
    public string? CertsDir { get; set; }

    /// <summary>How long a new root is only trusted before it signs (default 15 s), so that it reaches every proxy's trust
    /// bundle before any certificate it signs does.</summary>
    public TimeSpan RotationGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a generated root lives (default 10 years).</summary>
    public TimeSpan RootLifetime { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>Workload certificate lifetime when the CSR asks for none (default 24 h, as Istio's).</summary>
    public TimeSpan WorkloadLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest lifetime a workload may ask for (default 90 days).</summary>
    public TimeSpan MaxWorkloadLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The longest a bootstrap token may live (default 30 days).</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The 256-bit key that encrypts the CA's private keys in grain storage; the silo loads it from a file
    /// (a mounted Secret) before any grain runs.</summary>
    public byte[] EncryptionKey { get; set; } = [];
}
