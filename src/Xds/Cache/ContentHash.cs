using System.Security.Cryptography;
using System.Text;

namespace Mesh.Xds.Cache;

/// <summary>Versions as content hashes (16 hex digits of SHA-256): the same content gives the same version on
/// every silo, so a proxy that reconnects elsewhere is not sent what it already has.</summary>
internal static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8));

    /// <summary>The version of a set of resources: a hash of their names and versions, in the order given.</summary>
    public static string Of(IEnumerable<(string Name, string Version)> resources) =>
        Of(Encoding.UTF8.GetBytes(string.Join('\n', resources.Select(r => $"{r.Name}={r.Version}"))));
}
