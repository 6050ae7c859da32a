using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;

namespace Mesh.Sidecar.Config.Gateway;

/// <summary>Compiles an SDS secret a gateway's filter chains name: <c>tls_certificate</c> (PEM chain and key) into a
/// certificate context, <c>validation_context.trusted_ca</c> (PEM) into roots. Anything else is refused.</summary>
internal static class TlsSecretCompiler
{
    public static TlsSecret? Compile(Secret secret, string name, List<string> errors)
    {
        var where = $"Secret {name}";
        switch (secret.TypeCase)
        {
            case Secret.TypeOneofCase.TlsCertificate:
                return Certificate(secret.TlsCertificate, name, $"{where}: tls_certificate", errors);
            case Secret.TypeOneofCase.ValidationContext:
                var context = secret.ValidationContext;
                if (Pem(context.TrustedCa, $"{where}: validation_context.trusted_ca", errors) is not { } pem) return null;
                var roots = new X509Certificate2Collection();
                try
                {
                    roots.ImportFromPem(pem);
                }
                catch (CryptographicException exception)
                {
                    return errors.Fail<TlsSecret>($"{where}: validation_context.trusted_ca: not PEM certificates ({exception.Message})");
                }
                if (roots.Count == 0) return errors.Fail<TlsSecret>($"{where}: validation_context.trusted_ca holds no PEM certificate");
                return new TlsSecret(name, null, roots);
            default:
                return errors.Fail<TlsSecret>($"{where}: type {secret.TypeCase}: only tls_certificate and validation_context are supported by mesh-sidecar");
        }
    }

    private static TlsSecret? Certificate(TlsCertificate certificate, string name, string where, List<string> errors)
    {
        var chainPem = Pem(certificate.CertificateChain, $"{where}.certificate_chain", errors);
        var keyPem = Pem(certificate.PrivateKey, $"{where}.private_key", errors);
        if (chainPem is null || keyPem is null) return null;
        try
        {
            // The first certificate of the chain is the leaf, with the key; the rest are presented with it.
            var leaf = X509Certificate2.CreateFromPem(chainPem, keyPem);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(chainPem);
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
            return new TlsSecret(name, SslStreamCertificateContext.Create(leaf, intermediates, offline: true), null);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            return errors.Fail<TlsSecret>($"{where}: the certificate chain and private key are not a PEM certificate with its key ({exception.Message})");
        }
    }

    /// <summary>A data source's text: inline only (a gateway is given its certificates, it reads no files).</summary>
    private static string? Pem(DataSource? source, string where, List<string> errors) => source?.SpecifierCase switch
    {
        DataSource.SpecifierOneofCase.InlineBytes => source.InlineBytes.ToStringUtf8(),
        DataSource.SpecifierOneofCase.InlineString => source.InlineString,
        null or DataSource.SpecifierOneofCase.None => errors.Fail<string>($"{where}: required"),
        _ => errors.Fail<string>($"{where}: {source.SpecifierCase} is not supported (inline_bytes or inline_string)"),
    };
}
