using System.Net;

namespace Mesh.Silo.Hosting;

/// <summary>Decides the management API's bearer token: none on loopback, required anywhere else.</summary>
public static class ApiAccess
{
    public const string TokenEnvironmentVariable = "MESH_API_TOKEN";

    /// <summary>The token callers must present, or null when the API is loopback-only and none is configured.</summary>
    /// <exception cref="InvalidOperationException">The API binds beyond loopback and no token is configured.</exception>
    public static string? ResolveToken(ApiOptions api)
    {
        var token = api.Token;
        if (string.IsNullOrWhiteSpace(token))
        {
            token = Environment.GetEnvironmentVariable(TokenEnvironmentVariable);
        }
        if (string.IsNullOrWhiteSpace(token) && !string.IsNullOrWhiteSpace(api.TokenFile))
        {
            if (!File.Exists(api.TokenFile))
            {
                throw new InvalidOperationException($"The API token file '{api.TokenFile}' does not exist.");
            }
            token = File.ReadAllText(api.TokenFile).Trim();
        }
        if (string.IsNullOrWhiteSpace(token))
        {
            if (!IsLoopback(api.Address))
            {
                throw new InvalidOperationException(
                    $"The management API binds to {api.Address}, beyond loopback, but no token is configured. " +
                    $"Pass --token-file FILE, or set {TokenEnvironmentVariable}, or bind to 127.0.0.1.");
            }
            return null;
        }
        return token;
    }

    public static bool IsLoopback(string address) =>
        address == "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    public static IPAddress BindAddress(string address) =>
        address == "localhost" ? IPAddress.Loopback
        : address is "*" or "" ? IPAddress.Any
        : IPAddress.Parse(address);
}
