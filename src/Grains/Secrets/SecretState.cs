namespace Mesh.Grains.Secrets;

/// <summary>A credential as stored: its certificates in PEM, its private key encrypted with the silo's at-rest key
/// (the CA's, <see cref="Security.KeyProtector"/>), and its info. No field ever holds the key in clear.</summary>
[GenerateSerializer, Alias("mesh.SecretState")]
public sealed class SecretState
{
    [Id(0)] public SecretInfo? Info { get; set; }
    [Id(1)] public string CertificateChainPem { get; set; } = "";
    /// <summary>The <c>tls.key</c> PEM (UTF-8), encrypted; empty when there is none.</summary>
    [Id(2)] public byte[] EncryptedKey { get; set; } = [];
    [Id(3)] public string CaPem { get; set; } = "";
}
