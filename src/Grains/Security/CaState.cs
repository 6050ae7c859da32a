namespace Mesh.Grains.Security;

/// <summary>The certificate authority's persisted state: generated roots (private keys encrypted) and the
/// bootstrap-token signing key (encrypted).</summary>
[GenerateSerializer, Alias("mesh.CaState")]
public sealed class CaState
{
    [Id(0)] public List<StoredRoot> Roots { get; set; } = [];
    [Id(1)] public StoredKey? TokenKey { get; set; }
}

/// <summary>A generated root: certificate PEM and its private key (PKCS#8, encrypted with the at-rest key).</summary>
[GenerateSerializer, Alias("mesh.StoredRoot")]
public sealed class StoredRoot
{
    [Id(0)] public string CertificatePem { get; set; } = "";
    [Id(1)] public byte[] EncryptedKey { get; set; } = [];
    /// <summary>A rotated-in root signs only from then on: first its certificate reaches every proxy's trust bundle.</summary>
    [Id(4)] public DateTimeOffset SigningFrom { get; set; }
}

/// <summary>An ECDSA P-256 key (PKCS#8, encrypted) and its id.</summary>
[GenerateSerializer, Alias("mesh.StoredKey")]
public sealed class StoredKey
{
    [Id(0)] public string KeyId { get; set; } = "";
    [Id(1)] public byte[] EncryptedKey { get; set; } = [];
}
