using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Grains.Security;

/// <summary>A CA the user supplies, in the layout of Istio's <c>cacerts</c> Secret: <c>ca-cert.pem</c> and
/// <c>ca-key.pem</c> (the signing CA, often an intermediate), <c>root-cert.pem</c> (one or more trusted roots) and
/// <c>cert-chain.pem</c> (from the signing CA towards the root).</summary>
internal static class PluggedCa
{
    public static (SigningAuthority Signer, List<X509Certificate2> Roots) Load(string folder)
    {
        string Read(string file)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) throw new InvalidOperationException($"The CA folder {folder} has no {file} (expected ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem, as in Istio's cacerts).");
            return File.ReadAllText(path);
        }
        var certificate = X509Certificate2.CreateFromPem(Read("ca-cert.pem"), Read("ca-key.pem"));
        var roots = Certificates(Read("root-cert.pem"));
        if (roots.Count == 0) throw new InvalidOperationException($"{folder}/root-cert.pem holds no certificate.");
        var chainPath = Path.Combine(folder, "cert-chain.pem");
        var chain = File.Exists(chainPath) ? Certificates(File.ReadAllText(chainPath)) : [X509CertificateLoader.LoadCertificate(certificate.RawData)];
        // Workloads get their leaf and the intermediates; roots travel in the trust bundle.
        chain = chain.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) is false).ToList();
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new InvalidOperationException($"{folder}/ca-cert.pem is not a CA certificate (basicConstraints CA:TRUE is missing).");
        }
        return (new SigningAuthority(certificate, chain), roots);
    }

    private static List<X509Certificate2> Certificates(string pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException($"A cacerts PEM file does not parse: {exception.Message}", exception);
        }
        return [.. collection];
    }
}
