using Mesh.Silo.Access;

namespace Mesh.Silo.Hosting;

/// <summary>Decides who may call the management API: the users file's users and the single admin token; open (to
/// user <c>local</c>, an admin) on loopback when neither is configured; anywhere else a token is required.</summary>
public static class ApiAccess
{
    public const string TokenEnvironmentVariable = "MESH_API_TOKEN";

    /// <summary>The API's users, and warnings to log (plain tokens in the users file).</summary>
    /// <exception cref="InvalidOperationException">No token beyond loopback, or a missing or invalid token or users file.</exception>
    public static (ApiUsers Users, IReadOnlyList<string> Warnings) ResolveUsers(ApiOptions api)
    {
        var file = string.IsNullOrWhiteSpace(api.UsersFile) ? null : UsersFile.Load(api.UsersFile);
        var token = ResolveToken(api);
        if (file is null)
        {
            return (token is null ? ApiUsers.Open : new ApiUsers([(ApiUsers.Hash(token), ApiUser.TokenAdmin)]), []);
        }
        var users = file.Users.Select(entry => (entry.TokenSha256, entry.User)).ToList();
        if (token is not null)
        {
            var tokenHash = ApiUsers.Hash(token);
            var clash = file.Users.FirstOrDefault(entry => string.Equals(entry.User.Name, ApiUser.TokenAdmin.Name, StringComparison.OrdinalIgnoreCase))
                ?? file.Users.FirstOrDefault(entry => entry.TokenSha256.AsSpan().SequenceEqual(tokenHash));
            if (clash is not null)
            {
                throw new InvalidOperationException(
                    $"The API users file '{api.UsersFile}' is not valid:\n  {api.UsersFile}:{clash.Line}: users[{clash.Index}] ({clash.User.Name}): " +
                    $"clashes with the single API token, which is user {ApiUser.TokenAdmin.Name} (an admin) with a token of its own: rename the user, give it another token, or drop the single token");
            }
            users.Add((tokenHash, ApiUser.TokenAdmin));
        }
        return (new ApiUsers(users), file.Warnings);
    }

    /// <summary>The single token callers may present as user <c>admin</c>, or null when none is configured (allowed on
    /// loopback, or when a users file names the API's users).</summary>
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
            if (!ListenAddress.IsLoopback(api.Address) && string.IsNullOrWhiteSpace(api.UsersFile))
            {
                throw new InvalidOperationException(
                    $"The management API binds to {api.Address}, beyond loopback, but no token is configured. " +
                    $"Pass --api-users-file FILE or --token-file FILE, or set {TokenEnvironmentVariable}, or bind to 127.0.0.1.");
            }
            return null;
        }
        return token;
    }
}
