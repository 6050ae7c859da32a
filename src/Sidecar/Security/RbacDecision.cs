namespace Mesh.Sidecar.Security;

/// <summary>The outcome of the RBAC filter chain for one request: allowed or not, which filter and policy decided a
/// denial, and what LOG filters and shadow rules observed on the way.</summary>
public sealed record RbacDecision(bool Allowed, int? FilterIndex, string? PolicyId, IReadOnlyList<RbacReport> Reports)
{
    /// <summary>The body of Envoy's 403 when RBAC denies.</summary>
    public const string DeniedBody = "RBAC: access denied";

    internal static readonly RbacDecision AllowedWithoutReports = new(true, null, null, []);

    /// <summary>Why the request was denied, with the policy that matched (none for an ALLOW filter no policy
    /// matched); null when allowed.</summary>
    public string? Reason => Allowed ? null : $"{DeniedBody} (matched policy: {PolicyId ?? "none"})";

    /// <summary>Envoy's response code details for the denial, e.g. <c>rbac_access_denied_matched_policy[none]</c>.</summary>
    public string? ResponseCodeDetails => Allowed ? null : $"rbac_access_denied_matched_policy[{PolicyId ?? "none"}]";
}

/// <summary>What a filter reported without deciding: a LOG filter's matched policy (Envoy's
/// <c>access_log_hint</c>) or a shadow engine's result.</summary>
public sealed record RbacReport(int FilterIndex, RbacReportKind Kind, bool Allowed, string? PolicyId);

/// <summary>Where an <see cref="RbacReport"/> comes from.</summary>
public enum RbacReportKind
{
    /// <summary>An enforced LOG filter whose policy matched: the request should be audit-logged.</summary>
    Log,

    /// <summary>The <c>shadow_rules</c> of a filter: what it would have decided, never enforced.</summary>
    Shadow,
}
