namespace Mesh.Config.Views.Gateways;

/// <summary>A Gateway server's host, Istio's <c>[namespace/]dnsName</c>: which namespaces' VirtualServices may bind
/// to it (<c>*</c> any, <c>.</c> the Gateway's own, or one by name; no <c>namespace/</c> is <c>*</c>) and the DNS
/// name it serves (<c>*</c>, a left-most wildcard <c>*.example.com</c>, or a name).</summary>
public sealed record ServerHost(string Namespace, string DnsName)
{
    public const string AnyNamespace = "*";
    public const string OwnNamespace = ".";

    public static ServerHost Parse(string text)
    {
        var slash = text.IndexOf('/');
        return slash < 0 ? new(AnyNamespace, text) : new(text[..slash], text[(slash + 1)..]);
    }

    /// <summary>Whether a VirtualService of <paramref name="routeNamespace"/> may bind to this host of a Gateway in
    /// <paramref name="gatewayNamespace"/>.</summary>
    public bool Admits(string routeNamespace, string gatewayNamespace) => Namespace switch
    {
        AnyNamespace => true,
        OwnNamespace => routeNamespace == gatewayNamespace,
        _ => routeNamespace == Namespace,
    };

    /// <summary>The names a route host and this server's DNS name both cover, as the more specific of the two
    /// (<c>*.example.com</c> and <c>api.example.com</c> → <c>api.example.com</c>), or null when they are disjoint.</summary>
    public string? Intersect(string routeHost) => Intersection(DnsName, routeHost);

    public static string? Intersection(string a, string b)
    {
        if (Covers(a, b)) return b;
        return Covers(b, a) ? a : null;
    }

    /// <summary>Whether <paramref name="pattern"/> covers every name <paramref name="host"/> covers (DNS names are
    /// case-insensitive; <c>*.example.com</c> covers <c>a.example.com</c> and <c>*.a.example.com</c>, not
    /// <c>example.com</c>).</summary>
    private static bool Covers(string pattern, string host)
    {
        if (pattern == "*" || string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase)) return true;
        return pattern.StartsWith("*.", StringComparison.Ordinal) && host != "*"
            && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1;
    }
}
