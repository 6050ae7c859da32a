using System.Buffers.Text;
using System.Text;

namespace Mesh.Silo.Api;

/// <summary>Where the next list page starts: after <see cref="Namespace"/>/<see cref="Name"/>, in a list of
/// <see cref="Kind"/> over <see cref="Scope"/> (one namespace, or "" for all). A key rather than an offset, so
/// writes between pages neither repeat nor skip an item that exists throughout. Opaque to clients.</summary>
public sealed record ContinueToken(string Kind, string Scope, string Namespace, string Name)
{
    private const string Version = "m1";

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('/', Version, Kind, Scope, Namespace, Name)));

    /// <summary>The token, or null when it is not one this server wrote (names and kinds never hold '/').</summary>
    public static ContinueToken? Decode(string text)
    {
        if (text.Length > 1024) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var parts = decoded.Split('/');
        return parts is [Version, { Length: > 0 } kind, var scope, { Length: > 0 } ns, { Length: > 0 } name]
            ? new ContinueToken(kind, scope, ns, name)
            : null;
    }
}
