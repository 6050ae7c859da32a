using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Grains.Security;

/// <summary>A CA certificate with its private key, the chain from it towards the root (without the root), and how
/// it signs: the cryptography of issuing a certificate, apart from where the CA is kept.</summary>
internal sealed class SigningAuthority(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain) : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public X509Certificate2 Certificate => certificate;

    /// <summary>The intermediates from this CA towards the root (none for a generated root), PEM.</summary>
    public string ChainPem { get; } = string.Concat(chain.Select(c => c.ExportCertificatePem() + "\n"));

    /// <summary>Signs a leaf for the public key, with the order's names, no longer than the CA itself lives.</summary>
    public (X509Certificate2 Leaf, string ChainPem) Issue(CertificateOrder order, TimeProvider time)
    {
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(order.PublicKey, out _);
        var request = new CertificateRequest(new X500DistinguishedName(""), publicKey, HashAlgorithmName.SHA256,
            publicKey.GetRSAPublicKey() is null ? null : RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        if (order.SpiffeId is { } spiffe) names.AddUri(new Uri(spiffe));
        foreach (var dns in order.DnsNames) names.AddDnsName(dns);
        foreach (var ip in order.IpAddresses) names.AddIpAddress(System.Net.IPAddress.Parse(ip));
        // The subject is empty, so the names are the identity: RFC 5280 makes them critical then.
        request.CertificateExtensions.Add(names.Build(critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var now = time.GetUtcNow();
        // Backdated a minute for clocks that run a little behind.
        var notBefore = now.AddMinutes(-1);
        var notAfter = now + order.Lifetime;
        if (notAfter > certificate.NotAfter.ToUniversalTime()) notAfter = certificate.NotAfter.ToUniversalTime();
        using var leaf = request.Create(certificate.SubjectName, Generator(), notBefore, notAfter, Serial());
        var chainPem = leaf.ExportCertificatePem() + "\n" + ChainPem;
        return (X509CertificateLoader.LoadCertificate(leaf.RawData), chainPem);
    }

    private X509SignatureGenerator Generator() =>
        certificate.GetECDsaPrivateKey() is { } ecdsa ? X509SignatureGenerator.CreateForECDsa(ecdsa)
        : certificate.GetRSAPrivateKey() is { } rsa ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
        : throw new InvalidOperationException("The CA's key is neither ECDSA nor RSA.");

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }

    /// <summary>A new self-signed root: ECDSA P-256 or RSA 2048.</summary>
    public static (X509Certificate2 Root, byte[] Pkcs8) NewRoot(string trustDomain, string algorithm, TimeSpan lifetime, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var subject = new X500DistinguishedName($"O={trustDomain}, CN=Mesh Root CA {now:yyyy-MM-ddTHH:mm:ssZ}");
        AsymmetricAlgorithm key = string.Equals(algorithm, "RSA", StringComparison.OrdinalIgnoreCase) ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using (key)
        {
            var request = key is RSA rsa
                ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var root = request.CreateSelfSigned(now.AddHours(-1), now + lifetime);
            return (X509CertificateLoader.LoadCertificate(root.RawData), key.ExportPkcs8PrivateKey());
        }
    }

    /// <summary>A certificate joined with its PKCS#8 key.</summary>
    public static X509Certificate2 WithKey(X509Certificate2 certificate, ReadOnlySpan<byte> pkcs8)
    {
        if (certificate.GetECDsaPublicKey() is not null)
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return certificate.CopyWithPrivateKey(ecdsa);
        }
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return certificate.CopyWithPrivateKey(rsa);
    }

    public static string SerialHex(X509Certificate2 certificate) => new BigInteger(certificate.GetSerialNumber(), isUnsigned: true).ToString("x");

    public void Dispose()
    {
        certificate.Dispose();
        foreach (var c in chain) c.Dispose();
    }
}
