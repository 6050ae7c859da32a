namespace Mesh.Grains.Secrets;

/// <summary>A credential's PEM material, named after the keys of a Kubernetes TLS Secret: <c>tls.crt</c> (the
/// certificate, then its intermediates), <c>tls.key</c> and <c>ca.crt</c> (the CA that client certificates must chain
/// to). Either may be empty: a <c>NAME-cacert</c> companion holds only <c>ca.crt</c>.</summary>
[GenerateSerializer, Immutable, Alias("mesh.TlsCredential")]
public sealed record TlsCredential(
    [property: Id(0)] string CertificateChainPem,
    [property: Id(1)] string PrivateKeyPem,
    [property: Id(2)] string CaPem)
{
    public const string CertificateField = "tls.crt";
    public const string KeyField = "tls.key";
    public const string CaField = "ca.crt";

    public bool HasCertificate => CertificateChainPem.Length > 0;

    public bool HasCa => CaPem.Length > 0;

    /// <summary>Never the key: a record prints every property, and this one would end up in a log.</summary>
    public override string ToString() =>
        $"TlsCredential {{ {string.Join(", ", new[] { (HasCertificate, CertificateField), (PrivateKeyPem.Length > 0, KeyField), (HasCa, CaField) }.Where(k => k.Item1).Select(k => k.Item2))} }}";
}
