using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Security;

/// <summary>What every inbound request passes, in Envoy's order: the transport the PeerAuthentication mode allows
/// (checked again per request, so a mode change reaches kept-alive connections), JWT authentication
/// (RequestAuthentication: a bad token is refused, a missing one is not), then the RBAC filters (AuthorizationPolicy
/// AUDIT, DENY, ALLOW), which see the peer's SPIFFE id and the token's claims.</summary>
public sealed partial class InboundSecurity(SidecarOptions options, ILogger<InboundSecurity> logger) : IInboundPolicy
{
    private static readonly IReadOnlyDictionary<string, Google.Protobuf.WellKnownTypes.Struct> NoMetadata = new Dictionary<string, Google.Protobuf.WellKnownTypes.Struct>();

    public async ValueTask<InboundDecision> Evaluate(HttpContext context, InboundModel inbound)
    {
        // A captured request is judged by the port it was sent to, as its connection was (InboundTls): a pod's second
        // port has its own portLevelMtls, and AuthorizationPolicy's ports name the one the caller used.
        var port = InboundHandler.ApplicationPort(context, options.AppPort) ?? 0;
        var certificate = context.Connection.ClientCertificate;
        if (!inbound.For(port).HasFlag(certificate is null ? InboundTransports.Plaintext : InboundTransports.MutualTls))
        {
            return new InboundDecision(false, Reset: true, Reason: "refused by PeerAuthentication");
        }
        var peer = certificate is null ? null : PeerCertificate.Of(context)?.Principal;
        var metadata = NoMetadata;
        if (inbound.Filters.Jwt is { } jwt)
        {
            var result = await jwt.Authenticate(context.Request, context.RequestAborted);
            if (!result.Allowed)
            {
                LogJwtRefused(logger, peer ?? context.Connection.RemoteIpAddress?.ToString() ?? "?", context.Request.Path, result.Message ?? "");
                var headers = result.WwwAuthenticate is { } challenge ? new Dictionary<string, string> { ["www-authenticate"] = challenge } : null;
                return new InboundDecision(false, result.StatusCode, result.ResponseBody ?? result.Message ?? "Jwt verification fails", Headers: headers);
            }
            metadata = result.Metadata;
            Proxy.RateLimits.VerifiedClaims.Note(context, result.VerifiedPayload);
        }
        if (inbound.Filters.Rbac.FilterCount == 0) return new InboundDecision(true);
        var facts = RequestFacts.From(context, peer, metadata, inbound.ClientAddress, destinationPort: port);
        var decision = inbound.Filters.Rbac.Evaluate(facts);
        foreach (var report in decision.Reports)
        {
            if (report.Kind == RbacReportKind.Log && report.PolicyId is { } policy)
            {
                LogAudit(logger, policy, peer ?? "-", facts.Method, facts.Authority, facts.Path, decision.Allowed);
            }
        }
        if (decision.Allowed) return new InboundDecision(true);
        LogDenied(logger, decision.PolicyId ?? "none", peer ?? "-", facts.Method, facts.Path);
        return new InboundDecision(false, 403, RbacDecision.DeniedBody);
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "AUDIT policy {Policy}: {Peer} {Method} {Authority}{Path} (allowed: {Allowed})")]
    private static partial void LogAudit(ILogger logger, string policy, string peer, string method, string authority, string path, bool allowed);

    [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "RBAC denied {Peer} {Method} {Path} (policy {Policy})")]
    private static partial void LogDenied(ILogger logger, string policy, string peer, string method, string path);

    [LoggerMessage(EventId = 322, Level = LogLevel.Information, Message = "JWT refused for {Caller} {Path}: {Reason}")]
    private static partial void LogJwtRefused(ILogger logger, string caller, string path, string reason);
}
