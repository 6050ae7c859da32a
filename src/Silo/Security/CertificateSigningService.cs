using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Grains.Security;
using Mesh.Xds.Resources;
using Mesh.Xds.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Security;

/// <summary>Signs workload CSRs on the secured xDS port. The certificate carries the identity the caller's credential
/// entitles (its current certificate, or its bearer token), never one the CSR names: a CSR that asks for any other
/// identity is refused and logged. The CSR's signature proves the caller holds the key.</summary>
public sealed partial class CertificateSigningService(
    IGrainFactory grains,
    IOptions<CertificateAuthorityOptions> options,
    ILogger<CertificateSigningService> logger) : CertificateService.CertificateServiceBase
{
    public const int MaxCsrLength = 16 * 1024;

    public override async Task<CreateCertificateResponse> CreateCertificate(CreateCertificateRequest request, ServerCallContext context)
    {
        // Authenticated before its body was read (WorkloadGate).
        var credential = WorkloadGate.Credential(context.GetHttpContext());
        var identity = credential.Identity;
        var holder = context.RequestHeaders.GetValue(MeshIdentity.NodeIdHeader) is { Length: > 0 and <= 256 } node ? node : identity.ToString();
        var publicKey = ReadCsr(request.Csr, identity, holder);
        var ca = options.Value;
        var lifetime = request.ValiditySeconds switch
        {
            <= 0 => ca.WorkloadLifetime,
            var seconds when seconds >= (long)ca.MaxWorkloadLifetime.TotalSeconds => ca.MaxWorkloadLifetime,
            var seconds => TimeSpan.FromSeconds(seconds),
        };
        var issued = await grains.GetGrain<ICertificateAuthorityGrain>(ICertificateAuthorityGrain.Key)
            .Issue(new CertificateOrder(publicKey, identity.ToString(), [], [], lifetime));
        LogIssued(logger, identity.ToString(), holder, credential.Kind, issued.SerialNumber, issued.NotAfter);
        await Record(identity, holder, issued);
        var response = new CreateCertificateResponse { SpiffeId = identity.ToString(), NotAfter = Timestamp.FromDateTimeOffset(issued.NotAfter) };
        response.CertChain.Add(Split(issued.ChainPem));
        response.TrustBundle.Add(issued.Trust.Roots.Select(r => r.Pem));
        return response;
    }

    /// <summary>The CSR's public key, once its signature verifies, its key is strong enough, and it asks for no
    /// identity but the caller's.</summary>
    private byte[] ReadCsr(string pem, SpiffeId identity, string holder)
    {
        if (pem.Length == 0) throw Invalid("csr: required (a PKCS#10 certificate signing request, PEM)");
        if (pem.Length > MaxCsrLength) throw Invalid($"csr: longer than {MaxCsrLength} characters");
        CertificateRequest csr;
        List<string> asked;
        byte[] publicKey;
        bool strong;
        try
        {
            // Extensions are read only to refuse names the caller is not entitled to; none is copied.
            csr = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
            asked = [.. RequestedIdentities(csr)];
            var key = csr.PublicKey;
            strong = key.GetECDsaPublicKey() is { } ec ? ec.KeySize >= 256 : key.GetRSAPublicKey() is { } rsa && rsa.KeySize >= 2048;
            publicKey = key.ExportSubjectPublicKeyInfo();
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException or AsnContentException or FormatException or NotSupportedException)
        {
            throw Invalid($"csr: not a PKCS#10 request with a valid signature ({exception.Message.TrimEnd('.')})");
        }
        foreach (var name in asked)
        {
            // The trust domain is the CA's to set; only the namespace and service account are the caller's to ask for.
            if (SpiffeId.TryParse(name, out var id) && id.Namespace == identity.Namespace && id.ServiceAccount == identity.ServiceAccount) continue;
            LogImpersonation(logger, holder, identity.ToString(), name);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"csr: asks for {name}, but the credential entitles {identity} only"));
        }
        if (!strong) throw Invalid("csr: the key must be ECDSA P-256 or stronger, or RSA of 2048 bits or more");
        return publicKey;
    }

    private static IEnumerable<string> RequestedIdentities(CertificateRequest csr)
    {
        foreach (var extension in csr.CertificateExtensions)
        {
            if (extension.Oid?.Value != "2.5.29.17") continue;
            var names = new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
            foreach (var name in SpiffeId.UriNames(names)) yield return name;
            foreach (var dns in names.EnumerateDnsNames()) yield return "dns:" + dns;
        }
    }

    private async Task Record(SpiffeId identity, string holder, IssuedCertificate issued)
    {
        try
        {
            await grains.GetGrain<ICertificateLedgerGrain>(identity.Namespace)
                .Record(new IssuedRecord(holder, identity.ToString(), issued.SerialNumber, issued.Issuer, issued.NotBefore, issued.NotAfter));
            await grains.GetGrain<ICertificateLedgerGrain>(ICertificateLedgerGrain.Namespaces).AddNamespace(identity.Namespace);
        }
        catch (Exception exception)
        {
            // The certificate is issued either way; only meshctl cert status misses it.
            LogLedgerFailed(logger, identity.ToString(), exception);
        }
    }

    private static List<string> Split(string chainPem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(chainPem);
        return [.. collection.Select(c => c.ExportCertificatePem() + "\n")];
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    [LoggerMessage(EventId = 1320, Level = LogLevel.Information, Message = "Issued {Identity} to {Holder} (authenticated by {Credential}), serial {Serial}, valid until {NotAfter:o}")]
    private static partial void LogIssued(ILogger logger, string identity, string holder, CredentialKind credential, string serial, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Warning, Message = "Refused a certificate to {Holder}: it authenticated as {Identity} but asked for {Asked}")]
    private static partial void LogImpersonation(ILogger logger, string holder, string identity, string asked);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Warning, Message = "Could not record the certificate of {Identity} for meshctl cert status")]
    private static partial void LogLedgerFailed(ILogger logger, string identity, Exception exception);
}
