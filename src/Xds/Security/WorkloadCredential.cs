using Mesh.Xds.Resources;

namespace Mesh.Xds.Security;

/// <summary>Who a caller of the secured xDS port proved to be, and with what: its workload certificate, or a
/// bearer token (Mesh's bootstrap token, or a Kubernetes service-account token) before it has one.</summary>
public sealed record WorkloadCredential(SpiffeId Identity, CredentialKind Kind);

public enum CredentialKind
{
    Certificate,
    BootstrapToken,
    ServiceAccountToken,
}
