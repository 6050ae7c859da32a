namespace Mesh.Grains.Security;

/// <summary>The mesh's certificate authority (one grain, key <see cref="Key"/>): its roots and signing key, kept in
/// grain storage encrypted at rest (or read from a user-supplied <c>cacerts</c> folder), and the key that signs
/// bootstrap tokens. Callers check credentials and CSRs first: the grain signs what it is handed.</summary>
[Alias("mesh.ICertificateAuthorityGrain")]
public interface ICertificateAuthorityGrain : IGrainWithStringKey
{
    public const string Key = "mesh";

    /// <summary>Signs a certificate for the order's public key and names.</summary>
    [Alias("Issue")] Task<IssuedCertificate> Issue(CertificateOrder order);

    /// <summary>Every root the mesh trusts now, the signing one first.</summary>
    [Alias("GetTrustBundle")] Task<TrustBundle> GetTrustBundle();

    /// <summary>Makes a new root and signs with it from now on. The previous roots stay trusted (so that certificates
    /// they signed keep working until renewed) unless <paramref name="retirePrevious"/>.</summary>
    [Alias("Rotate")] Task<TrustBundle> Rotate(bool retirePrevious);

    /// <summary>A signed bootstrap token entitling its bearer to one identity.</summary>
    [Alias("CreateToken")] Task<IssuedToken> CreateToken(TokenOrder order);

    /// <summary>The public keys that verify bootstrap tokens.</summary>
    [Alias("GetTokenKeys")] Task<IReadOnlyList<TokenKey>> GetTokenKeys();
}
