namespace Mesh.Silo.Access;

/// <summary>An authenticated caller of the management API: a name, a role, and for an editor the namespaces it may
/// write (<see cref="AllNamespaces"/> for all).</summary>
public sealed record ApiUser(string Name, ApiRole Role, IReadOnlyList<string> Namespaces)
{
    public const string AllNamespaces = "*";

    /// <summary>Everyone, when the API is on loopback and no token is configured.</summary>
    public static readonly ApiUser Local = new("local", ApiRole.Admin, []);

    /// <summary>Whoever presents the single token (<c>--token-file</c>, <c>MESH_API_TOKEN</c>).</summary>
    public static readonly ApiUser TokenAdmin = new("admin", ApiRole.Admin, []);

    public string RoleName => Role.ToString().ToLowerInvariant();

    /// <summary>For messages: <c>admin</c>, <c>viewer</c>, <c>editor of bookinfo, shop</c>, <c>editor of every namespace</c>.</summary>
    public string RoleDescription => Role != ApiRole.Editor ? RoleName
        : Namespaces.Contains(AllNamespaces) ? "editor of every namespace"
        : $"editor of {string.Join(", ", Namespaces)}";

    public bool CanWrite(string @namespace) => Role switch
    {
        ApiRole.Admin => true,
        ApiRole.Editor => Namespaces.Contains(AllNamespaces) || Namespaces.Contains(@namespace, StringComparer.Ordinal),
        _ => false,
    };

    /// <summary>Whether the role reaches the method's permission. A write also needs every namespace it touches:
    /// see <see cref="WriteAccess"/>.</summary>
    public bool Reaches(ApiPermission permission) => permission switch
    {
        ApiPermission.Read => true,
        ApiPermission.Write => true,
        ApiPermission.Admin => Role == ApiRole.Admin,
        _ => false,
    };
}
