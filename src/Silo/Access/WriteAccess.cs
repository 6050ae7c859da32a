using Mesh.Silo.Api;

namespace Mesh.Silo.Access;

/// <summary>Checks a write against the caller's namespaces: an admin writes anywhere, an editor in its own, a viewer
/// nowhere. The handler passes every namespace the request touches, before it stores anything.</summary>
public static class WriteAccess
{
    /// <returns>Null when the user may write to every namespace; otherwise what it may not, and why.</returns>
    public static WriteDenial? Check(ApiUser user, string verb, IEnumerable<string> namespaces)
    {
        var refused = namespaces.Distinct(StringComparer.Ordinal).Where(ns => !user.CanWrite(ns)).Order(StringComparer.Ordinal).ToList();
        if (refused.Count == 0) return null;
        var shown = refused.Select(ConfigApiService.Truncate).ToList();
        var target = shown.Count == 1 ? $"namespace {shown[0]}" : $"namespaces {string.Join(", ", shown)}";
        var preposition = verb == "delete" ? "in" : "to";
        return new WriteDenial(refused,
            $"user {user.Name} ({user.RoleDescription}) may not {verb} {preposition} {target}: ask an admin for editor access to {string.Join(" and ", shown)}");
    }
}

/// <summary>A refused write: the namespaces the caller may not write, and the message that says so.</summary>
public sealed record WriteDenial(IReadOnlyList<string> Namespaces, string Message)
{
    public bool Refuses(string @namespace) => Namespaces.Contains(@namespace, StringComparer.Ordinal);
}
