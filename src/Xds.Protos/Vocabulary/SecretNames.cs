namespace Mesh.Xds.Resources;

/// <summary>SDS secret names, as Istio names them: the workload's chain and key, the trust bundle, and the gateway
/// credentials <c>kubernetes://NS/NAME</c> (certificate and key) and <c>kubernetes://NS/NAME-cacert</c> (the CA that
/// client certificates must chain to), and <c>kubernetes-gateway://NS/NAME</c>: a Gateway API Gateway's certificate in
/// another namespace, which a ReferenceGrant in NS lets it use.</summary>
public static class SecretNames
{
    public const string Default = "default";
    public const string RootCa = "ROOTCA";

    /// <summary>Istio's prefix for a credential named by a Gateway's <c>credentialName</c>.</summary>
    public const string CredentialPrefix = "kubernetes://";

    /// <summary>Istio's prefix for a Secret a Gateway API Gateway refers to in another namespace: the credentialName the
    /// conversion writes (<c>GatewayApiNames.CredentialName</c>) is the SDS name itself, and only a gateway whose
    /// Gateway carries it (because a ReferenceGrant allows it) is given it.</summary>
    public const string GrantedCredentialPrefix = "kubernetes-gateway://";

    /// <summary>The suffix of a credential's CA resource, and of the companion secret that may hold that CA.</summary>
    public const string CaSuffix = "-cacert";

    /// <summary><c>kubernetes://NS/NAME</c>: the certificate and key of secret NAME in namespace NS.</summary>
    public static string Credential(string @namespace, string name) => $"{CredentialPrefix}{@namespace}/{name}";

    /// <summary><c>kubernetes://NS/NAME-cacert</c>: the CA of credential NAME (its <c>ca.crt</c>, else secret NAME-cacert's).</summary>
    public static string CredentialCa(string @namespace, string name) => Credential(@namespace, name + CaSuffix);

    /// <summary><c>kubernetes-gateway://NS/NAME</c>: secret NAME of namespace NS, granted to Gateways of another namespace.</summary>
    public static string GrantedCredential(string @namespace, string name) => $"{GrantedCredentialPrefix}{@namespace}/{name}";

    /// <summary>The SDS name of a gateway server's <c>credentialName</c> (its CA's with <paramref name="ca"/>): a granted
    /// credential (<c>kubernetes-gateway://NS/NAME</c>) names itself; any other is secret NAME of the gateway
    /// workload's namespace.</summary>
    public static string OfServerCredential(string workloadNamespace, string credentialName, bool ca = false)
    {
        if (TryParseCredential(credentialName, out var @namespace, out var name, out _, out var granted) && granted)
        {
            return GrantedCredential(@namespace, ca ? name + CaSuffix : name);
        }
        return ca ? CredentialCa(workloadNamespace, credentialName) : Credential(workloadNamespace, credentialName);
    }

    /// <summary>Reads a credential resource name; <paramref name="ca"/> tells a <c>-cacert</c> one, whose
    /// <paramref name="name"/> is then the credential's (without the suffix).</summary>
    public static bool TryParseCredential(string resource, out string @namespace, out string name, out bool ca)
        => TryParseCredential(resource, out @namespace, out name, out ca, out _);

    /// <summary>As <see cref="TryParseCredential(string, out string, out string, out bool)"/>, either form;
    /// <paramref name="granted"/> tells a <c>kubernetes-gateway://</c> one.</summary>
    public static bool TryParseCredential(string resource, out string @namespace, out string name, out bool ca, out bool granted)
    {
        @namespace = name = "";
        ca = false;
        granted = resource.StartsWith(GrantedCredentialPrefix, StringComparison.Ordinal);
        if (!granted && !resource.StartsWith(CredentialPrefix, StringComparison.Ordinal)) return false;
        var path = resource[(granted ? GrantedCredentialPrefix : CredentialPrefix).Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1 || path.IndexOf('/', slash + 1) >= 0) return false;
        (@namespace, name) = (path[..slash], path[(slash + 1)..]);
        ca = name.EndsWith(CaSuffix, StringComparison.Ordinal) && name.Length > CaSuffix.Length;
        if (ca) name = name[..^CaSuffix.Length];
        return true;
    }
}
