using System.Net;

namespace Mesh.Silo.Hosting;

/// <summary>The addresses the silo listens on (<c>--api-address</c>, <c>--monitoring-address</c>,
/// <c>--xds-address</c>, <c>--xds-secure-address</c>): an IPv4 address, an IPv6 one (bracketed or not), an
/// IPv4-mapped IPv6 one (<c>::ffff:127.0.0.1</c>, taken as the IPv4 address it maps, which is what a socket can bind),
/// <c>localhost</c>, or <c>*</c> for every IPv4 interface. Normalized once in configuration, so that every reader
/// (Kestrel, the loopback checks, the server certificate's names) sees the same address.</summary>
public static class ListenAddress
{
    public static readonly IReadOnlyList<string> Options = ["--api-address", "--monitoring-address", "--xds-address", "--xds-secure-address", "--webhook-address"];

    /// <exception cref="InvalidOperationException">An option is not an address; the message names the option.</exception>
    public static void Normalize(IConfiguration configuration)
    {
        foreach (var option in Options)
        {
            var key = CommandLineSwitches.Map[option];
            if (configuration[key] is { } value) configuration[key] = Normalize(option, value);
        }
    }

    /// <summary>The address as the silo binds it: <c>::ffff:10.0.0.1</c> becomes <c>10.0.0.1</c>, <c>[::1]</c> <c>::1</c>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="value"/> is not an address.</exception>
    public static string Normalize(string option, string value)
    {
        var text = value.Trim();
        if (text is "localhost" or "*" or "") return text;
        if (text.StartsWith('[') && text.EndsWith(']')) text = text[1..^1];
        if (!IPAddress.TryParse(text, out var address))
        {
            throw new InvalidOperationException(
                $"{option} \"{value}\" is not an IP address; use an IPv4 or IPv6 address (127.0.0.1, 0.0.0.0, ::1, ::) or localhost");
        }
        return Unmap(address).ToString();
    }

    /// <summary>Where to bind a normalized address.</summary>
    public static IPAddress Bind(string address) =>
        address == "localhost" ? IPAddress.Loopback
        : address is "*" or "" ? IPAddress.Any
        : IPAddress.Parse(address);

    public static bool IsLoopback(string address) =>
        address == "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(Unmap(ip)));

    /// <summary>An IPv4-mapped IPv6 address (<c>::ffff:127.0.0.1</c>) as the IPv4 address it stands for.</summary>
    public static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
