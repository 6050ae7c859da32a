namespace Mesh.Grains.Security;

/// <summary>A signed certificate: the chain (leaf first, then any intermediates, PEM) and the trust bundle it was
/// issued under.</summary>
[GenerateSerializer, Immutable, Alias("mesh.IssuedCertificate")]
public sealed record IssuedCertificate(
    [property: Id(0)] string ChainPem,
    [property: Id(1)] TrustBundle Trust,
    [property: Id(2)] string SerialNumber,
    [property: Id(3)] DateTimeOffset NotBefore,
    [property: Id(4)] DateTimeOffset NotAfter,
    [property: Id(5)] string Issuer);
