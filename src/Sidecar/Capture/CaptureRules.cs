using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesh.Sidecar.Capture;

/// <summary>The iptables nat rules for a <see cref="CapturePlan"/>: a pure function, so what would be installed can be
/// printed (<c>--dry-run</c>) and tested without root. The chain layout follows istio-iptables' documented behaviour
/// (four chains: inbound, inbound redirect, output, outbound redirect) under Mesh's names. The same rules serve
/// iptables and ip6tables: only the loopback address and the CIDRs of the family differ.</summary>
public static class CaptureRules
{
    public const string Inbound = "MESH_INBOUND";
    public const string InboundRedirect = "MESH_IN_REDIRECT";
    public const string Output = "MESH_OUTPUT";
    public const string OutboundRedirect = "MESH_REDIRECT";

    private static readonly string[] Chains = [Inbound, InboundRedirect, Output, OutboundRedirect];

    /// <summary>The rules in iptables-restore format, for <c>iptables-restore --noflush</c> (declaring a chain there
    /// empties it, and the built-in chains are left as they are but for the two jumps added). For IPv6
    /// (<c>ip6tables-restore</c>) the listed CIDRs of the other family are left out, as istio-iptables splits them:
    /// an include list of IPv4 ranges only captures no IPv6 destination.</summary>
    public static string Restore(CapturePlan plan, AddressFamily family = AddressFamily.InterNetwork)
    {
        var loopback = family == AddressFamily.InterNetworkV6 ? "::1/128" : "127.0.0.1/32";
        IEnumerable<IPNetwork> Of(IEnumerable<IPNetwork> cidrs) => cidrs.Where(c => c.BaseAddress.AddressFamily == family);
        var rules = new StringBuilder();
        rules.Append("*nat\n");
        foreach (var chain in Chains) rules.Append(':').Append(chain).Append(" - [0:0]\n");
        void Rule(string text) => rules.Append("-A ").Append(text).Append('\n');

        Rule($"{InboundRedirect} -p tcp -j REDIRECT --to-ports {Number(plan.InboundPort)}");
        Rule($"{OutboundRedirect} -p tcp -j REDIRECT --to-ports {Number(plan.OutboundPort)}");

        var captureInbound = plan.InboundPorts is null || plan.InboundPorts.Count > 0;
        if (captureInbound)
        {
            Rule($"PREROUTING -p tcp -j {Inbound}");
            var excluded = plan.ExcludeInboundPorts.Concat(Mesh.Config.Keys.SidecarPorts.NeverCaptured).Distinct().ToList();
            if (plan.InboundPorts is null)
            {
                foreach (var port in excluded) Rule($"{Inbound} -p tcp --dport {Number(port)} -j RETURN");
                Rule($"{Inbound} -p tcp -j {InboundRedirect}");
            }
            else
            {
                foreach (var port in plan.InboundPorts.Distinct().Except(excluded)) Rule($"{Inbound} -p tcp --dport {Number(port)} -j {InboundRedirect}");
            }
        }

        Rule($"OUTPUT -p tcp -j {Output}");
        foreach (var port in plan.ExcludeOutboundPorts.Distinct()) Rule($"{Output} -p tcp --dport {Number(port)} -j RETURN");
        // The sidecar's own traffic: to the pod's own address over lo it is a call to a local service port and goes
        // through inbound (as it would from another pod); to anywhere else it leaves untouched, else it would loop.
        // The application's traffic over lo is local and stays so.
        var owners = new List<string> { $"--uid-owner {Number(plan.ProxyUid)}" };
        if (plan.ProxyGid is { } gid) owners.Add($"--gid-owner {Number(gid)}");
        foreach (var owner in owners)
        {
            if (captureInbound) Rule($"{Output} ! -d {loopback} -o lo -m owner {owner} -j {InboundRedirect}");
            Rule($"{Output} -o lo -m owner ! {owner} -j RETURN");
            Rule($"{Output} -m owner {owner} -j RETURN");
        }
        Rule($"{Output} -d {loopback} -j RETURN");
        // As istio-iptables: an excluded range wins over everything after it; the included ports are captured whatever
        // the destination otherwise (an excluded port has returned above).
        foreach (var cidr in Of(plan.ExcludeOutboundCidrs)) Rule($"{Output} -d {cidr} -j RETURN");
        foreach (var port in plan.IncludeOutboundPorts.Distinct()) Rule($"{Output} -p tcp --dport {Number(port)} -j {OutboundRedirect}");
        if (plan.IncludeOutboundCidrs is null) Rule($"{Output} -j {OutboundRedirect}");
        else foreach (var cidr in Of(plan.IncludeOutboundCidrs)) Rule($"{Output} -d {cidr} -j {OutboundRedirect}");

        rules.Append("COMMIT\n");
        return rules.ToString();
    }

    /// <summary>The iptables invocations that remove the rules again, whichever of them are there: the two jumps from
    /// the built-in chains first, then Mesh's chains emptied and deleted. Each may fail when already gone.</summary>
    public static IReadOnlyList<string[]> Cleanup()
    {
        var commands = new List<string[]>
        {
            new[] { "-t", "nat", "-D", "PREROUTING", "-p", "tcp", "-j", Inbound },
            new[] { "-t", "nat", "-D", "OUTPUT", "-p", "tcp", "-j", Output },
        };
        foreach (var chain in Chains) commands.Add(["-t", "nat", "-F", chain]);
        foreach (var chain in Chains) commands.Add(["-t", "nat", "-X", chain]);
        return commands;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
