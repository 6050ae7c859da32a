using System.Security.Cryptography;
using System.Text;

namespace Mesh.Silo.Access;

/// <summary>Who may call the management API, found by the SHA-256 of the bearer token they present. Open (every
/// caller is <see cref="ApiUser.Local"/>) when no token is configured, which only a loopback API allows.</summary>
public sealed class ApiUsers
{
    private readonly IReadOnlyList<(byte[] TokenSha256, ApiUser User)> _users;

    public ApiUsers(IEnumerable<(byte[] TokenSha256, ApiUser User)> users)
    {
        _users = [.. users];
    }

    public static ApiUsers Open { get; } = new([]);

    public bool IsOpen => _users.Count == 0;

    public int Count => _users.Count;

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The user whose token this is, or null. Compares against every user in constant time, so how long it
    /// takes says nothing about which entry, or how much of one, matched.</summary>
    public ApiUser? Authenticate(string token)
    {
        var presented = Hash(token);
        ApiUser? found = null;
        foreach (var (expected, user) in _users)
        {
            var match = CryptographicOperations.FixedTimeEquals(presented, expected);
            found = match ? user : found;
        }
        return found;
    }
}
