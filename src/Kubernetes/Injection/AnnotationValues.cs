using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Mesh.Kubernetes.Injection;

/// <summary>The value syntaxes of Istio's injection annotations: CIDRs, Kubernetes quantities, log levels (ports are
/// read by <see cref="Mesh.Config.Text.PortNumber"/>).</summary>
internal static partial class AnnotationValues
{
    /// <summary>ADDRESS/BITS, as Go's netip.ParsePrefix reads it: the prefix length required, host bits allowed (and
    /// cleared here, as iptables clears them), an IPv4 address in dotted quad form only.</summary>
    public static IPNetwork? Range(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0) return null;
        var (address, bits) = (text[..slash], text[(slash + 1)..]);
        // An address as validation reads one (an IPv4 address in dotted quad form only), without a zone.
        if (address.Contains('%') || !Mesh.Config.Validation.Rules.Hosts.IsIp(address)) return null;
        var ip = IPAddress.Parse(address);
        var width = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > width) return null;
        var bytes = ip.GetAddressBytes();
        for (var bit = length; bit < width; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), length);
    }

    /// <summary>A Kubernetes resource quantity (a non-negative decimal with an optional binary, decimal-SI or exponent
    /// suffix: <c>100m</c>, <c>0.5</c>, <c>128Mi</c>, <c>1G</c>, <c>1e3</c>).</summary>
    public static bool IsQuantity(string text) => Quantity().IsMatch(text);

    [GeneratedRegex(@"^\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)?$")]
    private static partial Regex Quantity();

    /// <summary>Istio's log level names as .NET's <c>LogLevel</c> names them.</summary>
    public static string? LogLevel(string text) => text switch
    {
        "trace" => "Trace",
        "debug" => "Debug",
        "info" => "Information",
        "warning" or "warn" => "Warning",
        "error" => "Error",
        "critical" => "Critical",
        "off" => "None",
        _ => null,
    };
}
