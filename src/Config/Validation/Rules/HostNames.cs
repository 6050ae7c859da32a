namespace Mesh.Config.Validation.Rules;

/// <summary>Istio's host-name rules, shared by validation, the grains and the xDS translation.</summary>
public static class HostNames
{
    public const string ClusterDomain = "svc.cluster.local";

    /// <summary>The FQDN Istio resolves a short name to: <c>reviews</c> in <c>bookinfo</c> is
    /// <c>reviews.bookinfo.svc.cluster.local</c>; names with a dot, and wildcards, stay as they are.</summary>
    public static string Qualify(string host, string @namespace)
        => host.Contains('.') || host.Contains('*') ? host : $"{host}.{@namespace}.{ClusterDomain}";

    /// <summary>Whether a host (possibly a wildcard) covers another name.</summary>
    public static bool Matches(string pattern, string host)
    {
        if (pattern == "*" || string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase)) return true;
        return pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase);
    }
}
