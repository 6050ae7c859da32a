using System.Net;
using System.Net.Sockets;
using Mesh.Sidecar.Capture;

namespace Mesh.Sidecar.Tests.Capture;

public sealed class CaptureRulesTests
{
    private static string[] Rules(CapturePlan plan, AddressFamily family = AddressFamily.InterNetwork)
        => CaptureRules.Restore(plan, family).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void The_default_plan_captures_all_tcp_both_ways_but_the_sidecars_own_traffic()
    {
        Assert.Equal(
        [
            "*nat",
            ":MESH_INBOUND - [0:0]",
            ":MESH_IN_REDIRECT - [0:0]",
            ":MESH_OUTPUT - [0:0]",
            ":MESH_REDIRECT - [0:0]",
            "-A MESH_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006",
            "-A MESH_REDIRECT -p tcp -j REDIRECT --to-ports 15001",
            "-A PREROUTING -p tcp -j MESH_INBOUND",
            "-A MESH_INBOUND -p tcp --dport 15090 -j RETURN",
            "-A MESH_INBOUND -p tcp --dport 15021 -j RETURN",
            "-A MESH_INBOUND -p tcp --dport 15000 -j RETURN",
            "-A MESH_INBOUND -p tcp -j MESH_IN_REDIRECT",
            "-A OUTPUT -p tcp -j MESH_OUTPUT",
            "-A MESH_OUTPUT ! -d 127.0.0.1/32 -o lo -m owner --uid-owner 1337 -j MESH_IN_REDIRECT",
            "-A MESH_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT -m owner --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT -d 127.0.0.1/32 -j RETURN",
            "-A MESH_OUTPUT -j MESH_REDIRECT",
            "COMMIT",
        ], Rules(new CapturePlan { ProxyUid = 1337 }));
    }

    [Fact]
    public void Listed_inbound_ports_are_captured_one_by_one_without_the_excluded_ones()
    {
        var rules = Rules(new CapturePlan { ProxyUid = 1337, InboundPorts = [9080, 9443, 15021, 22], ExcludeInboundPorts = [22] });

        Assert.Equal(
            ["-A MESH_INBOUND -p tcp --dport 9080 -j MESH_IN_REDIRECT", "-A MESH_INBOUND -p tcp --dport 9443 -j MESH_IN_REDIRECT"],
            rules.Where(r => r.StartsWith("-A MESH_INBOUND", StringComparison.Ordinal)));
    }

    [Fact]
    public void No_inbound_ports_leaves_prerouting_and_the_hairpin_rule_out()
    {
        var rules = Rules(new CapturePlan { ProxyUid = 1337, InboundPorts = [] });

        Assert.DoesNotContain(rules, r => r.Contains("PREROUTING", StringComparison.Ordinal) || r.StartsWith("-A MESH_INBOUND", StringComparison.Ordinal));
        Assert.DoesNotContain(rules, r => r.StartsWith("-A MESH_OUTPUT", StringComparison.Ordinal) && r.EndsWith("-j MESH_IN_REDIRECT", StringComparison.Ordinal));
        Assert.Contains("-A MESH_OUTPUT -j MESH_REDIRECT", rules);
    }

    [Fact]
    public void Outbound_exclusions_come_before_the_redirect_and_included_cidrs_replace_the_catch_all()
    {
        var rules = Rules(new CapturePlan
        {
            ProxyUid = 1337,
            ProxyGid = 1338,
            OutboundPort = 16001,
            ExcludeOutboundPorts = [5432],
            IncludeOutboundCidrs = [IPNetwork.Parse("10.96.0.0/12"), IPNetwork.Parse("10.244.0.0/16")],
            ExcludeOutboundCidrs = [IPNetwork.Parse("10.96.0.1/32")],
        }).Where(r => r.StartsWith("-A MESH_OUTPUT", StringComparison.Ordinal) || r.StartsWith("-A MESH_REDIRECT", StringComparison.Ordinal));

        Assert.Equal(
        [
            "-A MESH_REDIRECT -p tcp -j REDIRECT --to-ports 16001",
            "-A MESH_OUTPUT -p tcp --dport 5432 -j RETURN",
            "-A MESH_OUTPUT ! -d 127.0.0.1/32 -o lo -m owner --uid-owner 1337 -j MESH_IN_REDIRECT",
            "-A MESH_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT -m owner --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT ! -d 127.0.0.1/32 -o lo -m owner --gid-owner 1338 -j MESH_IN_REDIRECT",
            "-A MESH_OUTPUT -o lo -m owner ! --gid-owner 1338 -j RETURN",
            "-A MESH_OUTPUT -m owner --gid-owner 1338 -j RETURN",
            "-A MESH_OUTPUT -d 127.0.0.1/32 -j RETURN",
            "-A MESH_OUTPUT -d 10.96.0.1/32 -j RETURN",
            "-A MESH_OUTPUT -d 10.96.0.0/12 -j MESH_REDIRECT",
            "-A MESH_OUTPUT -d 10.244.0.0/16 -j MESH_REDIRECT",
        ], rules);
    }

    [Fact]
    public void Included_outbound_ports_are_captured_outside_the_included_ranges_but_an_excluded_port_or_range_still_returns_first()
    {
        var rules = Rules(new CapturePlan
        {
            ProxyUid = 1337,
            ExcludeOutboundPorts = [5432],
            IncludeOutboundPorts = [5432, 6379],
            IncludeOutboundCidrs = [],
            ExcludeOutboundCidrs = [IPNetwork.Parse("10.0.0.0/8")],
        }).Where(r => r.StartsWith("-A MESH_OUTPUT", StringComparison.Ordinal)).ToList();

        Assert.Equal(
        [
            "-A MESH_OUTPUT -p tcp --dport 5432 -j RETURN",
            "-A MESH_OUTPUT ! -d 127.0.0.1/32 -o lo -m owner --uid-owner 1337 -j MESH_IN_REDIRECT",
            "-A MESH_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT -m owner --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT -d 127.0.0.1/32 -j RETURN",
            "-A MESH_OUTPUT -d 10.0.0.0/8 -j RETURN",
            "-A MESH_OUTPUT -p tcp --dport 5432 -j MESH_REDIRECT",
            "-A MESH_OUTPUT -p tcp --dport 6379 -j MESH_REDIRECT",
        ], rules);
    }

    [Fact]
    public void Ipv6_rules_are_the_same_with_ipv6_loopback_and_only_the_ipv6_cidrs()
    {
        var plan = new CapturePlan
        {
            ProxyUid = 1337,
            IncludeOutboundCidrs = [IPNetwork.Parse("10.96.0.0/12"), IPNetwork.Parse("fd00:10:96::/112")],
            ExcludeOutboundCidrs = [IPNetwork.Parse("10.96.0.1/32"), IPNetwork.Parse("fd00:10:96::1/128")],
        };
        var ipv4 = Rules(plan);
        var ipv6 = Rules(plan, AddressFamily.InterNetworkV6);

        Assert.Equal(
        [
            "-A MESH_OUTPUT ! -d ::1/128 -o lo -m owner --uid-owner 1337 -j MESH_IN_REDIRECT",
            "-A MESH_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT -m owner --uid-owner 1337 -j RETURN",
            "-A MESH_OUTPUT -d ::1/128 -j RETURN",
            "-A MESH_OUTPUT -d fd00:10:96::1/128 -j RETURN",
            "-A MESH_OUTPUT -d fd00:10:96::/112 -j MESH_REDIRECT",
        ], ipv6.Where(r => r.StartsWith("-A MESH_OUTPUT", StringComparison.Ordinal)));
        Assert.DoesNotContain(ipv4, r => r.Contains("fd00", StringComparison.Ordinal));
        // Everything but the output chain is the same for both families.
        Assert.Equal(ipv4.Where(r => !r.StartsWith("-A MESH_OUTPUT", StringComparison.Ordinal)), ipv6.Where(r => !r.StartsWith("-A MESH_OUTPUT", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_include_list_of_one_family_captures_no_destination_of_the_other()
    {
        var ipv6 = Rules(new CapturePlan { ProxyUid = 1337, IncludeOutboundCidrs = [IPNetwork.Parse("10.96.0.0/12")] }, AddressFamily.InterNetworkV6);

        Assert.DoesNotContain(ipv6, r => r.EndsWith("-j MESH_REDIRECT", StringComparison.Ordinal) && r.StartsWith("-A MESH_OUTPUT", StringComparison.Ordinal));
    }

    [Fact]
    public void Cleanup_removes_the_jumps_before_the_chains()
    {
        var commands = CaptureRules.Cleanup().Select(c => string.Join(' ', c)).ToList();

        Assert.Equal("-t nat -D PREROUTING -p tcp -j MESH_INBOUND", commands[0]);
        Assert.Equal("-t nat -D OUTPUT -p tcp -j MESH_OUTPUT", commands[1]);
        Assert.True(commands.IndexOf("-t nat -F MESH_OUTPUT") < commands.IndexOf("-t nat -X MESH_OUTPUT"));
        Assert.Equal(10, commands.Count);
    }
}
