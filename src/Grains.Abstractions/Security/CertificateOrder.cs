namespace Mesh.Grains.Security;

/// <summary>What to certify: a public key (SubjectPublicKeyInfo, DER) the caller proved it holds, and the names the
/// caller is entitled to.</summary>
[GenerateSerializer, Immutable, Alias("mesh.CertificateOrder")]
public sealed record CertificateOrder(
    [property: Id(0)] byte[] PublicKey,
    /// <summary><c>spiffe://trust-domain/ns/NS/sa/SA</c>, or null for a server certificate with DNS/IP names only.</summary>
    [property: Id(1)] string? SpiffeId,
    [property: Id(2)] List<string> DnsNames,
    [property: Id(3)] List<string> IpAddresses,
    [property: Id(4)] TimeSpan Lifetime)
{
    /// <summary>Sign with the oldest trusted root rather than the newest: the control plane's own certificate, so that
    /// proxies bootstrapped with an older root file keep reaching it until that root is retired.</summary>
    [Id(5)] public bool FromOldestRoot { get; init; }
}
