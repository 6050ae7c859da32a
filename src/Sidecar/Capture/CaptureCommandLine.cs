using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Sidecar.Capture;

/// <summary><c>mesh-sidecar capture</c>: installs (or prints, or removes) the iptables rules that send a pod's TCP
/// traffic through its sidecar. Run once in the pod's network namespace before the application starts, as root or
/// with NET_ADMIN, as an init container would.</summary>
public static class CaptureCommandLine
{
    private static readonly Option<string?> ProxyUid = Single("--proxy-uid", "the uid the sidecar runs as; its own traffic is never redirected (required)");
    private static readonly Option<string?> ProxyGid = Single("--proxy-gid", "also exempt this gid's traffic");
    private static readonly Option<string?> OutboundPort = Single("--outbound-port", "the sidecar's outbound listener (default 15001)");
    private static readonly Option<string?> InboundPort = Single("--inbound-port", "the sidecar's inbound listener (default 15006)");
    private static readonly Option<string?> InboundPorts = Single("--inbound-ports", "inbound ports to capture, PORT[,PORT...]; * (default) is all but the excluded ones; empty is none");
    private static readonly Option<string?> ExcludeInboundPorts = Single("--exclude-inbound-ports", "inbound ports never captured, besides the sidecar's 15090, 15021 and 15000");
    private static readonly Option<string?> ExcludeOutboundPorts = Single("--exclude-outbound-ports", "outbound destination ports never captured");
    private static readonly Option<string?> IncludeOutboundCidrs = Single("--include-outbound-cidrs", "outbound destinations captured, CIDR[,CIDR...]; * (default) is all; empty is none");
    private static readonly Option<string?> ExcludeOutboundCidrs = Single("--exclude-outbound-cidrs", "outbound destinations never captured, CIDR[,CIDR...]");
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "print the rules (iptables-restore format) instead of installing them" };
    private static readonly Option<bool> Cleanup = new("--cleanup") { Description = "remove the rules" };

    public static Command Command { get; } = new("capture", "install the iptables rules that redirect the pod's TCP traffic to the sidecar (as istio-init)")
    {
        ProxyUid, ProxyGid, OutboundPort, InboundPort, InboundPorts, ExcludeInboundPorts, ExcludeOutboundPorts,
        IncludeOutboundCidrs, ExcludeOutboundCidrs, DryRun, Cleanup,
    };

    /// <summary>The plan, or every problem with the flags, each naming the flag.</summary>
    public static (CapturePlan? Plan, IReadOnlyList<string> Errors) Parse(ParseResult result)
    {
        var errors = result.Errors.Select(e => e.Message).ToList();
        int? Id(Option<string?> option)
        {
            var text = result.GetValue(option);
            if (text is null) return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id;
            errors.Add($"{option.Name}: \"{text}\" is not a numeric id");
            return null;
        }
        int Port(Option<string?> option, int fallback) => result.GetValue(option) is { } text ? PortOf(option, text) ?? fallback : fallback;
        int? PortOf(Option<string?> option, string text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536) return port;
            errors.Add($"{option.Name}: \"{text}\" is not a port (1-65535)");
            return null;
        }
        IReadOnlyList<int>? Ports(Option<string?> option, bool star)
        {
            var text = result.GetValue(option);
            if (text is null && star) return null;
            if (text?.Trim() == "*")
            {
                if (star) return null;
                errors.Add($"{option.Name}: * is not allowed here; list the ports");
                return [];
            }
            return [.. Items(text).Select(item => PortOf(option, item)).OfType<int>()];
        }
        IReadOnlyList<IPNetwork>? Cidrs(Option<string?> option, bool star)
        {
            var text = result.GetValue(option);
            if (text is null && star) return null;
            if (text?.Trim() == "*" && star) return null;
            var cidrs = new List<IPNetwork>();
            foreach (var item in Items(text))
            {
                // A bare address is a /32: what one would write for a single service VIP.
                var candidate = item.Contains('/') ? item : item + "/32";
                if (!IPNetwork.TryParse(candidate, out var cidr)) errors.Add($"{option.Name}: \"{item}\" is not an IPv4 CIDR such as 10.96.0.0/12");
                else if (cidr.BaseAddress.AddressFamily != AddressFamily.InterNetwork) errors.Add($"{option.Name}: \"{item}\" is IPv6; only IPv4 is captured so far");
                else cidrs.Add(cidr);
            }
            return cidrs;
        }

        var uid = Id(ProxyUid);
        if (result.GetValue(ProxyUid) is null && !result.GetValue(Cleanup)) errors.Add("--proxy-uid: required: the uid the sidecar runs as (without it the sidecar's own connections would loop back into it)");
        var plan = new CapturePlan
        {
            ProxyUid = uid ?? 0,
            ProxyGid = Id(ProxyGid),
            OutboundPort = Port(OutboundPort, 15001),
            InboundPort = Port(InboundPort, 15006),
            InboundPorts = Ports(InboundPorts, star: true),
            ExcludeInboundPorts = Ports(ExcludeInboundPorts, star: false) ?? [],
            ExcludeOutboundPorts = Ports(ExcludeOutboundPorts, star: false) ?? [],
            IncludeOutboundCidrs = Cidrs(IncludeOutboundCidrs, star: true),
            ExcludeOutboundCidrs = Cidrs(ExcludeOutboundCidrs, star: false) ?? [],
        };
        if (plan.OutboundPort == plan.InboundPort) errors.Add("--outbound-port and --inbound-port must differ");
        return (errors.Count == 0 ? plan : null, errors);
    }

    /// <summary>Runs the subcommand: prints, removes or installs the rules. Installing removes any earlier set first,
    /// so running it twice leaves one set.</summary>
    public static int Run(ParseResult result)
    {
        var (plan, errors) = Parse(result);
        if (result.GetValue(Cleanup))
        {
            if (result.GetValue(DryRun))
            {
                foreach (var command in CaptureRules.Cleanup()) Console.WriteLine("iptables " + string.Join(' ', command));
                return 0;
            }
            Iptables.RemoveAll();
            return 0;
        }
        if (plan is null)
        {
            foreach (var error in errors) Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine("Run mesh-sidecar capture --help for the flags.");
            return 2;
        }
        var rules = CaptureRules.Restore(plan);
        if (result.GetValue(DryRun))
        {
            Console.Write(rules);
            return 0;
        }
        Iptables.RemoveAll();
        return Iptables.Restore(rules);
    }

    private static IEnumerable<string> Items(string? text) => (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static Option<string?> Single(string name, string description) => new(name) { Description = description };
}
