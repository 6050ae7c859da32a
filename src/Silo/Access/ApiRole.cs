namespace Mesh.Silo.Access;

/// <summary>What a management API user may do: read everything (viewer), also write in its namespaces (editor),
/// or everything (admin).</summary>
public enum ApiRole
{
    Viewer,
    Editor,
    Admin,
}
