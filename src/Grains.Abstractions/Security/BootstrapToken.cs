namespace Mesh.Grains.Security;

/// <summary>The fixed claims of Mesh's bootstrap tokens: who issues them, for whom, and how the identity is written
/// (as Kubernetes writes a service account, so one parser reads both).</summary>
public static class BootstrapToken
{
    public const string Issuer = "mesh";
    public const string Audience = "mesh-ca";

    public static string Subject(string @namespace, string serviceAccount) => $"system:serviceaccount:{@namespace}:{serviceAccount}";

    /// <summary>Reads <c>system:serviceaccount:NS:SA</c>.</summary>
    public static bool TryParseSubject(string? subject, out string @namespace, out string serviceAccount)
    {
        @namespace = serviceAccount = "";
        var parts = subject?.Split(':') ?? [];
        if (parts.Length != 4 || parts[0] != "system" || parts[1] != "serviceaccount" || parts[2].Length == 0 || parts[3].Length == 0) return false;
        @namespace = parts[2];
        serviceAccount = parts[3];
        return true;
    }
}
