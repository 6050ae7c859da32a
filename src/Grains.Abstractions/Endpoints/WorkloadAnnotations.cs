namespace Mesh.Grains.Endpoints;

/// <summary>The annotations Mesh writes on a WorkloadEntry it registered for a proxy.</summary>
public static class WorkloadAnnotations
{
    /// <summary><c>true</c> on an entry a proxy registered; only such an entry may be registered again (by the same
    /// service account), never one an operator applied.</summary>
    public const string AutoRegistered = "mesh.io/auto-registered";

    /// <summary>The node id of the proxy that registered the entry.</summary>
    public const string RegisteredBy = "mesh.io/registered-by";
}
