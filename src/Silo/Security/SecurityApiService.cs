using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Config.Validation.Rules;
using Mesh.Grains.Security;
using Mesh.Xds.Resources;
using Mesh.Xds.Security;
using Mesh.Silo.Access;
using Mesh.Silo.Api;

namespace Mesh.Silo.Security;

/// <summary>The certificate authority for operators: bootstrap tokens, the trusted roots, rotation, and the
/// certificates issued (<c>meshctl token create | ca show | ca rotate | cert status</c>).</summary>
public sealed partial class SecurityApiService(IGrainFactory grains, TrustStore trust, Audit.AuditTrail audit, Microsoft.Extensions.Options.IOptions<Mesh.Xds.XdsOptions> xds, ILogger<SecurityApiService> logger) : SecurityService.SecurityServiceBase
{
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(1);



    private ICertificateAuthorityGrain Ca => grains.GetGrain<ICertificateAuthorityGrain>(ICertificateAuthorityGrain.Key);

    public override async Task<CreateTokenResponse> CreateToken(CreateTokenRequest request, ServerCallContext context)
    {
        var problems = new List<string>();
        if (!ResourceNames.IsDns1123Label(request.Namespace)) problems.Add($"namespace: '{request.Namespace}' is not a DNS-1123 label");
        if (ResourceNames.Dns1123SubdomainProblem(request.ServiceAccount) is { } problem) problems.Add($"service_account: {problem}");
        if (request.TtlSeconds < 0) problems.Add("ttl_seconds: must not be negative");
        if (problems.Count > 0) throw ApiErrors.Invalid(string.Join("; ", problems));
        var lifetime = request.TtlSeconds == 0 ? DefaultTokenLifetime : TimeSpan.FromSeconds(request.TtlSeconds);
        var caller = context.Caller().Name;
        var issued = await Ca.CreateToken(new TokenOrder(request.Namespace, request.ServiceAccount, lifetime, caller));
        // Minting an identity is a write: it goes into the audit trail of the namespace it is for.
        var attempt = audit.Begin(context, "create-token", dryRun: false);
        attempt.Add(Grains.Audit.AuditOutcome.Applied, "BootstrapToken", request.Namespace, request.ServiceAccount, detail: $"valid until {issued.Expires:u}");
        await attempt.Complete();
        var bundle = await trust.Bundle(context.CancellationToken);
        return new CreateTokenResponse
        {
            Token = issued.Token,
            SpiffeId = new SpiffeId(bundle.TrustDomain, request.Namespace, request.ServiceAccount).ToString(),
            Expires = Timestamp.FromDateTimeOffset(issued.Expires),
        };
    }

    public override async Task<CaInfo> GetCa(GetCaRequest request, ServerCallContext context) => Info(await Ca.GetTrustBundle());

    public override async Task<CaInfo> RotateCa(RotateCaRequest request, ServerCallContext context)
    {
        TrustBundle bundle;
        try
        {
            bundle = await Ca.Rotate(request.RetirePrevious);
        }
        catch (InvalidOperationException exception)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, exception.Message));
        }
        LogRotated(logger, bundle.Roots.Count, request.RetirePrevious);
        var attempt = audit.Begin(context, "rotate-ca", dryRun: false);
        attempt.Add(Grains.Audit.AuditOutcome.Applied, "CertificateAuthority", xds.Value.RootNamespace, ICertificateAuthorityGrain.Key,
            detail: $"{bundle.Roots.Count} roots trusted{(request.RetirePrevious ? ", previous retired" : "")}");
        await attempt.Complete();
        await trust.Refresh();
        return Info(bundle);
    }

    public override async Task<ListCertificatesResponse> ListCertificates(ListCertificatesRequest request, ServerCallContext context)
    {
        var namespaces = request.Namespace.Length > 0 ? [Api.ConfigApiService.RequireNamespace(request.Namespace)]
            : await grains.GetGrain<ICertificateLedgerGrain>(ICertificateLedgerGrain.Namespaces).ListNamespaces();
        var response = new ListCertificatesResponse();
        foreach (var @namespace in namespaces)
        {
            foreach (var record in await grains.GetGrain<ICertificateLedgerGrain>(@namespace).List())
            {
                response.Certificates.Add(new WorkloadCertificate
                {
                    Holder = record.Holder,
                    SpiffeId = record.SpiffeId,
                    SerialNumber = record.SerialNumber,
                    Issuer = record.Issuer,
                    NotBefore = Timestamp.FromDateTimeOffset(record.NotBefore),
                    NotAfter = Timestamp.FromDateTimeOffset(record.NotAfter),
                });
            }
        }
        return response;
    }

    private static CaInfo Info(TrustBundle bundle)
    {
        var info = new CaInfo { TrustDomain = bundle.TrustDomain, BundleVersion = bundle.Version };
        info.Roots.Add(bundle.Roots.Select(r => new CaRoot
        {
            Pem = r.Pem,
            Sha256Fingerprint = r.Fingerprint,
            Subject = r.Subject,
            NotAfter = Timestamp.FromDateTimeOffset(r.NotAfter),
            Signing = r.Signing,
            Source = r.Source,
        }));
        return info;
    }

    [LoggerMessage(EventId = 1330, Level = LogLevel.Warning, Message = "Root CA rotated through the API: {Roots} roots trusted (previous roots retired: {Retired})")]
    private static partial void LogRotated(ILogger logger, int roots, bool retired);
}
