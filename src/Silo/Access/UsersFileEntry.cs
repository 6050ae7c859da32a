namespace Mesh.Silo.Access;

/// <summary>One user of the users file: who it is, and the SHA-256 of its token.</summary>
/// <param name="Index">Position in the file's <c>users</c> list, from 0.</param>
/// <param name="Line">Line the entry starts on, from 1.</param>
public sealed record UsersFileEntry(int Index, int Line, ApiUser User, byte[] TokenSha256);
