using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Grains.Secrets;

/// <summary>Checks a credential before it is stored, reporting every problem with its field: the certificates and the
/// key parse, the key is the certificate's, and each field holds only what it is for (a key pasted into
/// <c>tls.crt</c> would otherwise be served as a certificate). Pure: PEM in, info or problems out.</summary>
public static class TlsCredentialInspector
{
    private const string CertificateLabel = "CERTIFICATE";

    public static (SecretInfo? Info, IReadOnlyList<SecretProblem> Problems) Inspect(string @namespace, string name, TlsCredential credential)
    {
        var problems = new List<SecretProblem>();
        var hasKey = credential.PrivateKeyPem.Length > 0;
        if (!credential.HasCertificate && !hasKey && !credential.HasCa)
        {
            problems.Add(new(TlsCredential.CertificateField, "required: give a certificate and its key (tls.crt and tls.key), or a CA alone (ca.crt)"));
            return (null, problems);
        }
        if (credential.HasCertificate && !hasKey) problems.Add(new(TlsCredential.KeyField, "required with tls.crt: the certificate's private key (PEM)"));
        if (hasKey && !credential.HasCertificate) problems.Add(new(TlsCredential.CertificateField, "required with tls.key: the certificate the key belongs to (PEM)"));

        var chain = credential.HasCertificate ? Certificates(credential.CertificateChainPem, TlsCredential.CertificateField, problems) : [];
        var cas = credential.HasCa ? Certificates(credential.CaPem, TlsCredential.CaField, problems) : [];
        try
        {
            if (hasKey && PrivateKey(credential.PrivateKeyPem, problems) is { } key && chain.Count > 0)
            {
                if (!key.AsSpan().SequenceEqual(chain[0].PublicKey.ExportSubjectPublicKeyInfo()))
                {
                    problems.Add(new(TlsCredential.KeyField, $"does not match the certificate in tls.crt ({chain[0].Subject}): give the key it was issued for"));
                }
            }
            if (problems.Count > 0) return (null, problems);
            var shown = chain.Count > 0 ? chain[0] : cas[0];
            var names = shown.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
            return (new SecretInfo
            {
                Namespace = @namespace,
                Name = name,
                Type = chain.Count > 0 ? SecretInfo.TlsType : SecretInfo.OpaqueType,
                Keys = [.. new[] { (chain.Count > 0, TlsCredential.CertificateField), (hasKey, TlsCredential.KeyField), (cas.Count > 0, TlsCredential.CaField) }
                    .Where(k => k.Item1).Select(k => k.Item2)],
                Subject = shown.Subject,
                DnsNames = names is null ? [] : [.. names.EnumerateDnsNames()],
                IpAddresses = names is null ? [] : [.. names.EnumerateIPAddresses().Select(a => a.ToString())],
                NotBefore = shown.NotBefore.ToUniversalTime(),
                NotAfter = shown.NotAfter.ToUniversalTime(),
                Sha256Fingerprint = shown.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
                CaCertificates = cas.Count,
            }, problems);
        }
        finally
        {
            foreach (var certificate in chain.Concat(cas)) certificate.Dispose();
        }
    }

    /// <summary>Every PEM block of <paramref name="pem"/>, which must all be certificates, and at least one.</summary>
    private static List<X509Certificate2> Certificates(string pem, string field, List<SecretProblem> problems)
    {
        var certificates = new List<X509Certificate2>();
        var rest = pem.AsMemory();
        var index = 0;
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            if (label != CertificateLabel)
            {
                problems.Add(new(field, label.Contains("PRIVATE KEY", StringComparison.Ordinal)
                    ? $"PEM block {index + 1} is a private key: the key goes in tls.key, and {field} holds only certificates"
                    : $"PEM block {index + 1} is '{label}', not a CERTIFICATE"));
            }
            else
            {
                try
                {
                    certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest.Span[fields.Base64Data].ToString())));
                }
                catch (CryptographicException exception)
                {
                    problems.Add(new(field, $"certificate {index + 1} does not parse: {exception.Message}"));
                }
            }
            rest = rest[fields.Location.End..];
            index++;
        }
        if (index == 0) problems.Add(new(field, "holds no PEM block: give the certificate in PEM (-----BEGIN CERTIFICATE-----)"));
        return certificates;
    }

    /// <summary>The key's public part (SubjectPublicKeyInfo), to compare with the certificate's; null when it does not parse.</summary>
    private static byte[]? PrivateKey(string pem, List<SecretProblem> problems)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            problems.Add(new(TlsCredential.KeyField, "holds no PEM block: give the private key in PEM (-----BEGIN PRIVATE KEY-----)"));
            return null;
        }
        var label = pem[fields.Label];
        if (label == "ENCRYPTED PRIVATE KEY")
        {
            problems.Add(new(TlsCredential.KeyField, "is encrypted with a passphrase: give it unencrypted (openssl pkey -in KEY -out PLAIN); Mesh encrypts it at rest"));
            return null;
        }
        if (label is not ("PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY"))
        {
            problems.Add(new(TlsCredential.KeyField, $"the PEM block is '{label}', not a PRIVATE KEY"));
            return null;
        }
        AsymmetricAlgorithm? key = label switch
        {
            "RSA PRIVATE KEY" => RSA.Create(),
            "EC PRIVATE KEY" => ECDsa.Create(),
            _ => null,
        };
        try
        {
            if (key is null) return Pkcs8PublicKey(pem);
            using (key)
            {
                key.ImportFromPem(pem);
                return key.ExportSubjectPublicKeyInfo();
            }
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            problems.Add(new(TlsCredential.KeyField, $"does not parse as an RSA or ECDSA private key: {exception.Message}"));
            return null;
        }
    }

    private static byte[] Pkcs8PublicKey(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            return ecdsa.ExportSubjectPublicKeyInfo();
        }
    }
}
