namespace Mesh.Config.Validation.Rules;

/// <summary>The name rules the validator applies, for callers outside it (the API's own parameters).</summary>
public static class ResourceNames
{
    public static bool IsDns1123Label(string name) => Names.IsLabel(name);

    /// <summary>Null when the name is a DNS-1123 subdomain (what Kubernetes requires of service accounts); else why not.</summary>
    public static string? Dns1123SubdomainProblem(string name) => Names.Subdomain(name);
}
