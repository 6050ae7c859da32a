using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Grains.Secrets;

namespace Mesh.Grains.Tests.Secrets;

/// <summary>Self-signed certificates and their keys in PEM, as a user would bring them.</summary>
internal static class TestCredentials
{
    public static TlsCredential Server(string host = "www.example.com", bool rsa = false, string ca = "")
    {
        using var key = rsa ? (AsymmetricAlgorithm)RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest($"CN={host}", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={host}", (ECDsa)key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30));
        var keyPem = key is RSA pkcs1 ? pkcs1.ExportRSAPrivateKeyPem() : key.ExportPkcs8PrivateKeyPem();
        return new TlsCredential(certificate.ExportCertificatePem() + "\n", keyPem + "\n", ca);
    }

    /// <summary>The base64 body of a PEM's first line of data: what would show in storage if it were kept in clear.</summary>
    public static string BodyLine(string pem) => pem.Split('\n')[1].Trim();
}
