using Grpc.Core;
using Mesh.Silo.Api;

namespace Mesh.Silo.Access;

/// <summary>Who a management API call is, and whether its role reaches the method: decided from the call's method
/// name and <c>authorization</c> header alone, so it runs before anything reads the request body. Namespaces of a
/// write are checked later by its handler, which reads them from the request (<see cref="WriteAccess"/>).</summary>
public sealed class ApiAdmission(ApiUsers users)
{
    /// <summary>Whether <paramref name="method"/> (<c>/mesh.v1.ConfigService/Apply</c>) is a management API method that
    /// needs an admitted caller. Workload certificates (served to workloads on the secured xDS port) are not.</summary>
    public static bool Guards(string method) =>
        method.StartsWith(ApiPermissions.ApiPrefix, StringComparison.Ordinal)
        && !method.StartsWith(ApiPermissions.WorkloadCertificatePrefix, StringComparison.Ordinal);

    /// <summary>The caller, authenticated by its bearer token and allowed to call the method.</summary>
    /// <exception cref="RpcException">UNAUTHENTICATED (no or unknown token) or PERMISSION_DENIED (the role does not reach the method).</exception>
    public ApiUser Admit(string method, string? authorization)
    {
        var caller = Authenticate(authorization);
        var name = method.TrimStart('/');
        return ApiPermissions.For(method) switch
        {
            null => throw ApiErrors.Denied($"user {caller.Name} ({caller.RoleDescription}) may not call {name}: it is not in the API's permission table, so nobody may"),
            { } permission when !caller.Reaches(permission) => throw ApiErrors.Denied($"user {caller.Name} ({caller.RoleDescription}) may not call {name}: it needs the admin role; ask an admin for it"),
            _ => caller,
        };
    }

    private ApiUser Authenticate(string? authorization)
    {
        if (users.IsOpen) return ApiUser.Local;
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiErrors.Unauthenticated("this API requires a bearer token: pass --token or set MESH_TOKEN");
        }
        return users.Authenticate(authorization[scheme.Length..].Trim())
            ?? throw ApiErrors.Unauthenticated("the bearer token is not valid for this server");
    }
}
