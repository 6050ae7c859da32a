namespace Mesh.Config.Validation.Rules;

/// <summary>Istio's host-name rules, shared by validation, the grains and the xDS translation.</summary>
public static class HostNames
{
    public const string ClusterDomain = "svc.cluster.local";

    /// <summary>The FQDN Istio resolves a short name to: <c>reviews</c> in <c>bookinfo</c> is
    /// <c>reviews.bookinfo.svc.cluster.local</c>; names with a dot, and <c>*</c>, stay as they are (any other wildcard
    /// has a dot). The one rule for the validator, the grains, the translator and the sidecar.</summary>
    public static string Qualify(string host, string @namespace)
        => host == "*" || host.Contains('.') ? host : $"{host}.{@namespace}.{ClusterDomain}";

    /// <summary>The names a service host is called by: the host, and for a Kubernetes service the short forms Istio
    /// adds (<c>reviews</c>, <c>reviews.bookinfo</c>, <c>reviews.bookinfo.svc</c>).</summary>
    public static IReadOnlyList<string> Names(string host)
    {
        var suffix = "." + ClusterDomain;
        if (!host.EndsWith(suffix, StringComparison.Ordinal)) return [host];
        var parts = host[..^suffix.Length].Split('.');
        return parts.Length == 2 ? [host, parts[0], $"{parts[0]}.{parts[1]}", $"{parts[0]}.{parts[1]}.svc"] : [host];
    }

    /// <summary>Whether a host (possibly a wildcard) covers another name.</summary>
    public static bool Matches(string pattern, string host)
    {
        if (pattern == "*" || string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase)) return true;
        return pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase);
    }
}
