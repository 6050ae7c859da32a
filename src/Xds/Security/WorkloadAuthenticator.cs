using Grpc.Core;
using Mesh.Grains.Security;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Security;

/// <summary>Authenticates callers of the secured xDS port: a client certificate that chains to the mesh's roots
/// (its SPIFFE id), else a bearer token (Mesh's bootstrap token; in Kubernetes, a service-account token through
/// TokenReview). Callers of the plaintext port, which listens on loopback only, are not authenticated.</summary>
public sealed partial class WorkloadAuthenticator(
    TrustStore trust,
    IOptions<XdsOptions> options,
    ILogger<WorkloadAuthenticator> logger,
    IServiceAccountTokenReviewer? reviewer = null)
{

    /// <summary>True when the call came in on the secured port.</summary>
    private bool IsSecured(HttpContext http) => http.Connection.LocalPort == options.Value.SecurePort;

    /// <summary>The caller's credential; null on the plaintext port.</summary>
    /// <exception cref="RpcException">UNAUTHENTICATED, with the reason, when the secured port's caller proves nothing.</exception>
    public async Task<WorkloadCredential?> Authenticate(HttpContext http, CancellationToken cancellationToken)
    {
        if (!IsSecured(http)) return null;
        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        var certificate = http.Connection.ClientCertificate;
        if (certificate is not null && trust.Verify(certificate) is { } id) return new WorkloadCredential(id, CredentialKind.Certificate);
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            // An expired certificate, or one from a retired root, falls back to the token: say which was wrong.
            throw Refuse(remote, certificate is not null
                ? "the client certificate has expired, does not chain to the mesh's roots or carries no SPIFFE id of this trust domain, and no bearer token was given"
                : "present a workload certificate, or a bootstrap token as 'authorization: Bearer TOKEN' (meshctl token create)");
        }
        var token = header[scheme.Length..].Trim();
        if (token.Length > BootstrapTokenValidator.MaxLength) throw Refuse(remote, $"the bearer token is longer than {BootstrapTokenValidator.MaxLength} bytes");
        var (credential, reason) = await FromToken(token, cancellationToken);
        return credential ?? throw Refuse(remote, reason);
    }

    private async Task<(WorkloadCredential?, string)> FromToken(string token, CancellationToken cancellationToken)
    {
        var issuer = BootstrapTokenValidator.ClaimedIssuer(token);
        var trustDomain = (await trust.Bundle(cancellationToken)).TrustDomain;
        if (issuer != BootstrapToken.Issuer)
        {
            if (reviewer is not null && await reviewer.Review(token, cancellationToken) is { } account)
            {
                return (new WorkloadCredential(new SpiffeId(trustDomain, account.Namespace, account.ServiceAccount), CredentialKind.ServiceAccountToken), "");
            }
            return (null, issuer is null ? "the bearer token is not a JWT" : $"the bearer token's issuer '{Clip(issuer)}' is not trusted here");
        }
        var result = await BootstrapTokenValidator.Validate(token, await trust.TokenKeys(cancellationToken));
        return result.IsValid
            ? (new WorkloadCredential(new SpiffeId(trustDomain, result.Namespace!, result.ServiceAccount!), CredentialKind.BootstrapToken), "")
            : (null, result.Problem!);
    }

    private RpcException Refuse(string remote, string reason)
    {
        LogRefused(logger, remote, reason);
        return new RpcException(new Status(StatusCode.Unauthenticated, reason));
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Refused an unauthenticated caller from {Remote} on the secured xDS port: {Reason}")]
    private static partial void LogRefused(ILogger logger, string remote, string reason);
}
