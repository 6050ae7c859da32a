namespace Mesh.Xds.Resources;

/// <summary>SDS secret names, as Istio names them: the workload's chain and key, the trust bundle, and a gateway's
/// certificates by <c>credentialName</c> (<c>kubernetes://NS/NAME</c>, its CA <c>kubernetes://NS/NAME-cacert</c>).</summary>
public static class SecretNames
{
    public const string Default = "default";
    public const string RootCa = "ROOTCA";
    public const string CredentialPrefix = "kubernetes://";
    public const string CaCertSuffix = "-cacert";

    /// <summary>The certificate and key of a gateway credential, resolved in the gateway workload's namespace.</summary>
    public static string Credential(string @namespace, string name) => $"{CredentialPrefix}{@namespace}/{name}";

    /// <summary>The CA a gateway verifies client certificates with (MUTUAL, OPTIONAL_MUTUAL).</summary>
    public static string CredentialCa(string @namespace, string name) => Credential(@namespace, name + CaCertSuffix);
}
