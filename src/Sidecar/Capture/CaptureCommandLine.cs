using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using static Mesh.Sidecar.Hosting.CommandLineValues;

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
    private static readonly Option<string?> IncludeOutboundPorts = Single("--include-outbound-ports", "outbound destination ports captured even outside --include-outbound-cidrs (not inside --exclude-outbound-cidrs)");
    private static readonly Option<string?> IncludeOutboundCidrs = Single("--include-outbound-cidrs", "outbound destinations captured, CIDR[,CIDR...]; * (default) is all; empty is none");
    private static readonly Option<string?> ExcludeOutboundCidrs = Single("--exclude-outbound-cidrs", "outbound destinations never captured, CIDR[,CIDR...]");
    private static readonly Option<string?> Ipv6 = Single("--ipv6", "also install the rules with ip6tables: true, false, or auto (default: when the pod has an IPv6 address beyond loopback and link-local)");
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "print the rules (iptables-restore format) instead of installing them" };
    private static readonly Option<bool> Cleanup = new("--cleanup") { Description = "remove the rules" };

    public static Command Command { get; } = new("capture", "install the iptables rules that redirect the pod's TCP traffic to the sidecar (as istio-init)")
    {
        ProxyUid, ProxyGid, OutboundPort, InboundPort, InboundPorts, ExcludeInboundPorts, ExcludeOutboundPorts,
        IncludeOutboundPorts, IncludeOutboundCidrs, ExcludeOutboundCidrs, Ipv6, DryRun, Cleanup,
    };

    /// <summary>The environment variables each flag falls back to, first found wins: Mesh's own
    /// (<c>MESH_CAPTURE_</c> and the flag in capitals), then istio-iptables' name for the same setting where it has
    /// one, so an istio-init environment carries over. A flag wins over both.</summary>
    public static IReadOnlyDictionary<string, string[]> Variables { get; } = new Dictionary<string, string[]>
    {
        [ProxyUid.Name] = [Variable(ProxyUid)],
        [ProxyGid.Name] = [Variable(ProxyGid)],
        [OutboundPort.Name] = [Variable(OutboundPort), "ENVOY_PORT"],
        [InboundPort.Name] = [Variable(InboundPort), "INBOUND_CAPTURE_PORT"],
        [InboundPorts.Name] = [Variable(InboundPorts), "ISTIO_INBOUND_PORTS"],
        [ExcludeInboundPorts.Name] = [Variable(ExcludeInboundPorts), "ISTIO_LOCAL_EXCLUDE_PORTS"],
        [ExcludeOutboundPorts.Name] = [Variable(ExcludeOutboundPorts), "ISTIO_LOCAL_OUTBOUND_PORTS_EXCLUDE"],
        [IncludeOutboundPorts.Name] = [Variable(IncludeOutboundPorts)],
        [IncludeOutboundCidrs.Name] = [Variable(IncludeOutboundCidrs), "ISTIO_SERVICE_CIDR"],
        [ExcludeOutboundCidrs.Name] = [Variable(ExcludeOutboundCidrs), "ISTIO_SERVICE_EXCLUDE_CIDR"],
        [Ipv6.Name] = [Variable(Ipv6), "ENABLE_INBOUND_IPV6"],
    };

    /// <summary>The plan, or every problem with the flags (or the variables standing in for them), each naming the
    /// flag or variable.</summary>
    public static (CapturePlan? Plan, IReadOnlyList<string> Errors) Parse(ParseResult result, Func<string, string?> environment)
    {
        var errors = result.Errors.Select(e => e.Message).ToList();
        // The text given for an option and the name to blame in an error: the flag, or the variable it came from.
        (string? Text, string Name) Given(Option<string?> option)
        {
            if (result.GetValue(option) is { } flag) return (flag, option.Name);
            foreach (var variable in Variables[option.Name])
            {
                if (environment(variable) is { } text) return (text, $"{variable} ({option.Name})");
            }
            return (null, option.Name);
        }
        int? Id(Option<string?> option)
        {
            var (text, name) = Given(option);
            if (text is null) return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id;
            errors.Add($"{name}: \"{text}\" is not a numeric id");
            return null;
        }
        int Port(Option<string?> option, int fallback) => Given(option) is { Text: { } text, Name: var name } ? PortOf(name, text) ?? fallback : fallback;
        int? PortOf(string name, string text)
        {
            if (Mesh.Config.Text.PortNumber.Parse(text) is { } port) return port;
            errors.Add($"{name}: \"{text}\" is not a port (1-65535)");
            return null;
        }
        IReadOnlyList<int>? Ports(Option<string?> option, bool star)
        {
            var (text, name) = Given(option);
            if (text is null && star) return null;
            if (text?.Trim() == "*")
            {
                if (star) return null;
                errors.Add($"{name}: * is not allowed here; list the ports");
                return [];
            }
            return [.. Items(text).Select(item => PortOf(name, item)).OfType<int>()];
        }
        IReadOnlyList<IPNetwork>? Cidrs(Option<string?> option, bool star)
        {
            var (text, name) = Given(option);
            if (text is null && star) return null;
            if (text?.Trim() == "*" && star) return null;
            var cidrs = new List<IPNetwork>();
            foreach (var item in Items(text))
            {
                // A bare address is a single host: what one would write for a single service VIP.
                var candidate = item.Contains('/') ? item : item + (item.Contains(':') ? "/128" : "/32");
                if (IPNetwork.TryParse(candidate, out var cidr)) cidrs.Add(cidr);
                else errors.Add($"{name}: \"{item}\" is not a CIDR such as 10.96.0.0/12 or fd00::/8");
            }
            return cidrs;
        }
        bool? Switch(Option<string?> option)
        {
            var (text, name) = Given(option);
            switch (text?.Trim().ToLowerInvariant())
            {
                case null or "" or "auto": return null;
                case "true": return true;
                case "false": return false;
                default:
                    errors.Add($"{name}: \"{text}\" is not true, false or auto");
                    return null;
            }
        }

        var uid = Id(ProxyUid);
        if (Given(ProxyUid).Text is null && !result.GetValue(Cleanup)) errors.Add($"--proxy-uid: required: the uid the sidecar runs as (without it the sidecar's own connections would loop back into it; or set {Variable(ProxyUid)})");
        var plan = new CapturePlan
        {
            ProxyUid = uid ?? 0,
            ProxyGid = Id(ProxyGid),
            OutboundPort = Port(OutboundPort, 15001),
            InboundPort = Port(InboundPort, 15006),
            InboundPorts = Ports(InboundPorts, star: true),
            ExcludeInboundPorts = Ports(ExcludeInboundPorts, star: false) ?? [],
            ExcludeOutboundPorts = Ports(ExcludeOutboundPorts, star: false) ?? [],
            IncludeOutboundPorts = Ports(IncludeOutboundPorts, star: false) ?? [],
            IncludeOutboundCidrs = Cidrs(IncludeOutboundCidrs, star: true),
            ExcludeOutboundCidrs = Cidrs(ExcludeOutboundCidrs, star: false) ?? [],
            Ipv6 = Switch(Ipv6),
        };
        if (plan.OutboundPort == plan.InboundPort) errors.Add("--outbound-port and --inbound-port must differ");
        if (plan.Ipv6 == false && plan.IncludeOutboundCidrs?.Any(c => c.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6) == true)
        {
            errors.Add("--include-outbound-cidrs: IPv6 ranges are listed but --ipv6 is false; they would not be captured");
        }
        return (errors.Count == 0 ? plan : null, errors);
    }

    /// <summary>Runs the subcommand: prints, removes or installs the rules, for IPv4 and, when the plan says so or the
    /// pod has IPv6, for IPv6. Installing removes any earlier set first, so running it twice leaves one set.</summary>
    public static int Run(ParseResult result)
    {
        var (plan, errors) = Parse(result, Environment.GetEnvironmentVariable);
        var dryRun = result.GetValue(DryRun);
        var families = new List<AddressFamily> { AddressFamily.InterNetwork };
        if (plan?.Ipv6 ?? Iptables.HasIpv6Address()) families.Add(AddressFamily.InterNetworkV6);
        if (result.GetValue(Cleanup))
        {
            // Cleanup removes both families' rules whatever the pod has now: an address may have gone since.
            foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
            {
                if (!dryRun) Iptables.RemoveAll(family);
                else foreach (var command in CaptureRules.Cleanup()) Console.WriteLine(Iptables.Binary(family) + " " + string.Join(' ', command));
            }
            return 0;
        }
        if (plan is null)
        {
            foreach (var error in errors) Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine("Run mesh-sidecar capture --help for the flags.");
            return 2;
        }
        var status = 0;
        foreach (var family in families)
        {
            var rules = CaptureRules.Restore(plan, family);
            if (dryRun)
            {
                Console.Write($"# {Iptables.Binary(family)}-restore --noflush\n{rules}");
                continue;
            }
            Iptables.RemoveAll(family);
            status = Math.Max(status, Iptables.Restore(rules, family));
        }
        return status;
    }

    private static IEnumerable<string> Items(string? text) => (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Variable(Option option) => "MESH_CAPTURE_" + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();
}
