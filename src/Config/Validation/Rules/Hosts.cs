using System.Net;

namespace Mesh.Config.Validation.Rules;

/// <summary>Host names as Istio accepts them: RFC 1123 names, an optional <c>*.</c> wildcard prefix, <c>*</c> where allowed.</summary>
internal static class Hosts
{
    /// <summary>A DNS name or <c>*.suffix</c> wildcard; <c>*</c> alone only when <paramref name="allowStar"/>.</summary>
    public static string? Wildcard(string host, bool allowStar = true, bool allowIp = false)
    {
        if (host == "*") return allowStar ? null : "the wildcard host \"*\" is not allowed here";
        if (IsIp(host)) return allowIp ? null : $"\"{Names.Short(host)}\" is an IP address; a host name is required here";
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return Dns(name, host);
    }

    /// <summary>A plain DNS name, no wildcards.</summary>
    public static string? Name(string host) => IsIp(host) ? null : Dns(host, host);

    private static string? Dns(string name, string original)
    {
        if (name.Length == 0) return "host must not be empty";
        if (name.Length > 253) return $"host \"{Names.Short(original)}\" is longer than 253 characters";
        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0) return $"host \"{Names.Short(original)}\" has an empty label";
            if (label.Length > 63) return $"host \"{Names.Short(original)}\" has a label longer than 63 characters";
            if (label.Contains('*')) return $"host \"{Names.Short(original)}\": a wildcard is only allowed as the leading \"*.\"";
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || label[0] == '-' || label[^1] == '-')
            {
                return $"host \"{Names.Short(original)}\" is not a valid DNS name (RFC 1123)";
            }
        }
        return null;
    }

    public static bool IsIp(string text) => IPAddress.TryParse(text, out _) && (text.Contains(':') || text.Count(c => c == '.') == 3);

    /// <summary>An IP address or a CIDR block (<c>10.0.0.0/8</c>).</summary>
    public static string? IpOrCidr(string text)
    {
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        if (!IsIp(address)) return $"\"{Names.Short(text)}\" is not an IP address or CIDR block";
        if (slash < 0) return null;
        var max = address.Contains(':') ? 128 : 32;
        return int.TryParse(text[(slash + 1)..], out var bits) && bits >= 0 && bits <= max
            ? null
            : $"\"{Names.Short(text)}\" has an invalid prefix length (0-{max})";
    }

    /// <summary>Gateway and Sidecar hosts: <c>namespace/dnsName</c>, where namespace is a name, <c>.</c>, <c>*</c> or <c>~</c>.</summary>
    public static string? NamespacedHost(string text, bool requireNamespace)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            return requireNamespace ? $"\"{Names.Short(text)}\" must have the form namespace/host (e.g. \"./*\" or \"istio-system/*\")" : Wildcard(text);
        }
        var ns = text[..slash];
        var host = text[(slash + 1)..];
        if (ns is not ("." or "*" or "~") && Names.Label(ns) is { } reason) return $"namespace of \"{Names.Short(text)}\": {reason}";
        return Wildcard(host);
    }

}
