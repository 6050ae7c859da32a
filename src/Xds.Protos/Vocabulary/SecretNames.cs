namespace Mesh.Xds.Resources;

/// <summary>SDS secret names, as Istio names them: the workload's chain and key, the trust bundle, and the gateway
/// credentials <c>kubernetes://NS/NAME</c> (certificate and key) and <c>kubernetes://NS/NAME-cacert</c> (the CA that
/// client certificates must chain to).</summary>
public static class SecretNames
{
    public const string Default = "default";
    public const string RootCa = "ROOTCA";

    /// <summary>Istio's prefix for a credential named by a Gateway's <c>credentialName</c>.</summary>
    public const string CredentialPrefix = "kubernetes://";

    /// <summary>The suffix of a credential's CA resource, and of the companion secret that may hold that CA.</summary>
    public const string CaSuffix = "-cacert";

    /// <summary><c>kubernetes://NS/NAME</c>: the certificate and key of secret NAME in namespace NS.</summary>
    public static string Credential(string @namespace, string name) => $"{CredentialPrefix}{@namespace}/{name}";

    /// <summary><c>kubernetes://NS/NAME-cacert</c>: the CA of credential NAME (its <c>ca.crt</c>, else secret NAME-cacert's).</summary>
    public static string CredentialCa(string @namespace, string name) => Credential(@namespace, name + CaSuffix);

    /// <summary>Reads a credential resource name; <paramref name="ca"/> tells a <c>-cacert</c> one, whose
    /// <paramref name="name"/> is then the credential's (without the suffix).</summary>
    public static bool TryParseCredential(string resource, out string @namespace, out string name, out bool ca)
    {
        @namespace = name = "";
        ca = false;
        if (!resource.StartsWith(CredentialPrefix, StringComparison.Ordinal)) return false;
        var path = resource[CredentialPrefix.Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1 || path.IndexOf('/', slash + 1) >= 0) return false;
        (@namespace, name) = (path[..slash], path[(slash + 1)..]);
        ca = name.EndsWith(CaSuffix, StringComparison.Ordinal) && name.Length > CaSuffix.Length;
        if (ca) name = name[..^CaSuffix.Length];
        return true;
    }
}
