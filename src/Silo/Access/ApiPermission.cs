namespace Mesh.Silo.Access;

/// <summary>What a management API method needs from its caller.</summary>
public enum ApiPermission
{
    /// <summary>Any role (viewer and up).</summary>
    Read,
    /// <summary>Admin, or an editor of every namespace the request touches. The handler learns the namespaces from
    /// the request (an apply's manifest names them per document) and checks them all, with <see cref="WriteAccess"/>,
    /// before it stores anything; every attempt, allowed or not, goes to the audit trail.</summary>
    Write,
    /// <summary>Admin only.</summary>
    Admin,
}
