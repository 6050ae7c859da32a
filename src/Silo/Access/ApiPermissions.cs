using System.Collections.Frozen;

namespace Mesh.Silo.Access;

/// <summary>The one table of what each management API method needs, by gRPC full method name. A method that is not
/// here is refused to everyone: a new RPC gets its line here in the same change that adds it.</summary>
public static class ApiPermissions
{
    /// <summary>Methods under this prefix are the management API; the access interceptor leaves others (xDS) alone.</summary>
    public const string ApiPrefix = "/mesh.v1.";

    /// <summary>Served on the secured xDS port to workloads, which authenticate with their own credentials (a workload
    /// certificate or a bootstrap token), not as management API users.</summary>
    public const string WorkloadCertificatePrefix = "/mesh.v1.CertificateService/";

    /// <summary>The one method that carries a manifest (its body limit is the manifest limit).</summary>
    public const string Apply = "/mesh.v1.ConfigService/Apply";

    /// <summary>The one method that carries certificates and a key (its body limit is a Kubernetes Secret's).</summary>
    public const string CreateSecret = "/mesh.v1.SecretService/Create";

    public static readonly FrozenDictionary<string, ApiPermission> Table = new Dictionary<string, ApiPermission>
    {
        ["/mesh.v1.ConfigService/Get"] = ApiPermission.Read,
        ["/mesh.v1.ConfigService/List"] = ApiPermission.Read,
        ["/mesh.v1.ConfigService/History"] = ApiPermission.Read,
        ["/mesh.v1.ConfigService/Watch"] = ApiPermission.Read,
        ["/mesh.v1.ConfigService/GetServiceEndpoints"] = ApiPermission.Read,
        ["/mesh.v1.ConfigService/ProxyStatus"] = ApiPermission.Read,
        ["/mesh.v1.ConfigService/ProxyConfig"] = ApiPermission.Read,
        ["/mesh.v1.ConfigService/Version"] = ApiPermission.Read,
        [Apply] = ApiPermission.Write,
        ["/mesh.v1.ConfigService/Delete"] = ApiPermission.Write,

        ["/mesh.v1.AuditService/List"] = ApiPermission.Read,

        ["/mesh.v1.SecurityService/CreateToken"] = ApiPermission.Admin,
        ["/mesh.v1.SecurityService/RotateCa"] = ApiPermission.Admin,
        ["/mesh.v1.SecurityService/GetCa"] = ApiPermission.Read,
        ["/mesh.v1.SecurityService/ListCertificates"] = ApiPermission.Read,

        // Written as config is (admin, or an editor of the namespace); read as info only, never the key.
        [CreateSecret] = ApiPermission.Write,
        ["/mesh.v1.SecretService/Delete"] = ApiPermission.Write,
        ["/mesh.v1.SecretService/Get"] = ApiPermission.Read,
        ["/mesh.v1.SecretService/List"] = ApiPermission.Read,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What <paramref name="method"/> (<c>/mesh.v1.ConfigService/Apply</c>) needs; null when it is not in the table.</summary>
    public static ApiPermission? For(string method) => Table.TryGetValue(method, out var permission) ? permission : null;
}
