namespace Mesh.Config.Kinds;

/// <summary>The kind names as they appear in manifests and keys, for code that switches on a kind
/// (<see cref="ResourceKinds"/> holds the whole description of each).</summary>
public static class KindNames
{
    public const string ServiceEntry = "ServiceEntry";
    public const string WorkloadEntry = "WorkloadEntry";
    public const string WorkloadGroup = "WorkloadGroup";
    public const string VirtualService = "VirtualService";
    public const string DestinationRule = "DestinationRule";
    public const string Gateway = "Gateway";
    public const string Sidecar = "Sidecar";
    public const string PeerAuthentication = "PeerAuthentication";
    public const string AuthorizationPolicy = "AuthorizationPolicy";
    public const string RequestAuthentication = "RequestAuthentication";
}
