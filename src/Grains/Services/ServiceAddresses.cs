using System.Net;

namespace Mesh.Grains.Services;

/// <summary>A ServiceEntry's <c>addresses</c> as the service's VIPs: the domains of its routes, and the keys of the
/// service grains that stand for its host, which a sidecar finds by the address a captured connection was sent to.</summary>
public static class ServiceAddresses
{
    /// <summary>The address in its canonical text when <paramref name="text"/> names one IP (a plain address, or a
    /// CIDR of the full prefix length); null for a wider range or anything else.</summary>
    public static string? Single(string text)
    {
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(address, out var ip)) return null;
        var full = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "128" : "32";
        return slash < 0 || text[(slash + 1)..] == full ? ip.ToString() : null;
    }

    /// <summary>The VIPs of the entries declaring a host, ordered.</summary>
    public static List<string> Of(IEnumerable<ServiceEntryView> entries) =>
        [.. entries.SelectMany(e => e.Addresses).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The host a grain keyed <paramref name="key"/> stands for, when the key is a VIP of one of its entries
    /// (the first entry by key, the first of its hosts); null when the key is a host.</summary>
    public static string? AliasOf(string key, IEnumerable<ServiceEntryView> entries) =>
        Single(key) is null
            ? null
            : entries.OrderBy(e => e.Key, StringComparer.Ordinal).FirstOrDefault(e => e.Addresses.Contains(key) && e.Hosts.Count > 0)?.Hosts[0];
}
