namespace Mesh.Silo.Access;

/// <summary>A users file as read: its users, and what the silo should warn about (plain tokens).</summary>
public sealed record UsersFileContent(IReadOnlyList<UsersFileEntry> Users, IReadOnlyList<string> Warnings);
