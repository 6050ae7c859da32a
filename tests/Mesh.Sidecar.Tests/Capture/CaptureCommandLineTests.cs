using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Hosting;

namespace Mesh.Sidecar.Tests.Capture;

public sealed class CaptureCommandLineTests
{
    private static (CapturePlan? Plan, IReadOnlyList<string> Errors) Parse(string arguments, Dictionary<string, string>? environment = null)
        => CaptureCommandLine.Parse(SidecarCommandLine.Command.Parse(("capture " + arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            name => environment?.GetValueOrDefault(name));

    [Fact]
    public void Capture_is_a_subcommand_of_the_sidecar()
    {
        Assert.Same(CaptureCommandLine.Command, SidecarCommandLine.Command.Parse(["capture", "--proxy-uid", "1337"]).CommandResult.Command);
    }

    [Fact]
    public void The_flags_become_a_plan()
    {
        var (plan, errors) = Parse("--proxy-uid 1337 --inbound-ports 9080,9443 --exclude-inbound-ports 22 --exclude-outbound-ports 5432 --include-outbound-cidrs 10.96.0.0/12 --exclude-outbound-cidrs 10.96.0.10 --outbound-port 16001");

        Assert.Empty(errors);
        Assert.Equal(1337, plan!.ProxyUid);
        Assert.Equal([9080, 9443], plan.InboundPorts);
        Assert.Equal([22], plan.ExcludeInboundPorts);
        Assert.Equal([5432], plan.ExcludeOutboundPorts);
        Assert.Equal("10.96.0.0/12", Assert.Single(plan.IncludeOutboundCidrs!).ToString());
        Assert.Equal("10.96.0.10/32", Assert.Single(plan.ExcludeOutboundCidrs).ToString());
        Assert.Equal((16001, 15006), (plan.OutboundPort, plan.InboundPort));
    }

    [Fact]
    public void Star_and_leaving_out_capture_everything()
    {
        var (plan, errors) = Parse("--proxy-uid 1337 --inbound-ports * --include-outbound-cidrs *");

        Assert.Empty(errors);
        Assert.Null(plan!.InboundPorts);
        Assert.Null(plan.IncludeOutboundCidrs);
    }

    [Fact]
    public void Included_outbound_ports_and_empty_lists_as_the_injector_writes_them()
    {
        var (plan, errors) = CaptureCommandLine.Parse(
            SidecarCommandLine.Command.Parse(["capture", "--proxy-uid", "1337", "--include-outbound-ports", "5432,6379", "--inbound-ports", "", "--include-outbound-cidrs", ""]),
            _ => null);

        Assert.Empty(errors);
        Assert.Equal([5432, 6379], plan!.IncludeOutboundPorts);
        Assert.Empty(plan.InboundPorts!);
        Assert.Empty(plan.IncludeOutboundCidrs!);
    }

    [Theory]
    [InlineData("", "--proxy-uid: required: the uid the sidecar runs as (without it the sidecar's own connections would loop back into it; or set MESH_CAPTURE_PROXY_UID)")]
    [InlineData("--proxy-uid istio", "--proxy-uid: \"istio\" is not a numeric id")]
    [InlineData("--proxy-uid 1337 --inbound-ports 80,http", "--inbound-ports: \"http\" is not a port (1-65535)")]
    [InlineData("--proxy-uid 1337 --exclude-outbound-ports *", "--exclude-outbound-ports: * is not allowed here; list the ports")]
    [InlineData("--proxy-uid 1337 --include-outbound-cidrs 10.0.0.0/33", "--include-outbound-cidrs: \"10.0.0.0/33\" is not a CIDR such as 10.96.0.0/12 or fd00::/8")]
    [InlineData("--proxy-uid 1337 --ipv6 maybe", "--ipv6: \"maybe\" is not true, false or auto")]
    [InlineData("--proxy-uid 1337 --ipv6 false --include-outbound-cidrs fd00::/8", "--include-outbound-cidrs: IPv6 ranges are listed but --ipv6 is false; they would not be captured")]
    [InlineData("--proxy-uid 1337 --outbound-port 15006", "--outbound-port and --inbound-port must differ")]
    public void Bad_flags_are_refused_naming_the_flag(string arguments, string error)
    {
        var (plan, errors) = Parse(arguments);

        Assert.Null(plan);
        Assert.Equal(error, Assert.Single(errors));
    }

    [Fact]
    public void Ipv6_is_auto_unless_asked_and_cidrs_of_both_families_are_kept()
    {
        Assert.Null(Parse("--proxy-uid 1337").Plan!.Ipv6);
        Assert.True(Parse("--proxy-uid 1337 --ipv6 true").Plan!.Ipv6);
        var (plan, errors) = Parse("--proxy-uid 1337 --ipv6 false --exclude-outbound-cidrs 10.96.0.10,fd00::10,fd00:1::/64");

        Assert.Empty(errors);
        Assert.False(plan!.Ipv6);
        Assert.Equal(["10.96.0.10/32", "fd00::10/128", "fd00:1::/64"], plan.ExcludeOutboundCidrs.Select(c => c.ToString()));
    }

    [Fact]
    public void Every_setting_can_come_from_the_environment_mesh_names_first_then_istios()
    {
        var (plan, errors) = Parse("", new()
        {
            ["MESH_CAPTURE_PROXY_UID"] = "1337",
            ["MESH_CAPTURE_PROXY_GID"] = "1338",
            ["MESH_CAPTURE_OUTBOUND_PORT"] = "16001",
            ["ENVOY_PORT"] = "17001",
            ["INBOUND_CAPTURE_PORT"] = "16006",
            ["ISTIO_INBOUND_PORTS"] = "9080",
            ["ISTIO_LOCAL_EXCLUDE_PORTS"] = "22",
            ["ISTIO_LOCAL_OUTBOUND_PORTS_EXCLUDE"] = "5432",
            ["ISTIO_SERVICE_CIDR"] = "10.96.0.0/12",
            ["MESH_CAPTURE_EXCLUDE_OUTBOUND_CIDRS"] = "10.96.0.10",
            ["ENABLE_INBOUND_IPV6"] = "true",
        });

        Assert.Empty(errors);
        Assert.Equal((1337, 1338), (plan!.ProxyUid, plan.ProxyGid));
        Assert.Equal((16001, 16006), (plan.OutboundPort, plan.InboundPort));
        Assert.Equal([9080], plan.InboundPorts);
        Assert.Equal([22], plan.ExcludeInboundPorts);
        Assert.Equal([5432], plan.ExcludeOutboundPorts);
        Assert.Equal("10.96.0.0/12", Assert.Single(plan.IncludeOutboundCidrs!).ToString());
        Assert.Equal("10.96.0.10/32", Assert.Single(plan.ExcludeOutboundCidrs).ToString());
        Assert.True(plan.Ipv6);
    }

    [Fact]
    public void A_flag_wins_over_its_variables()
    {
        var (plan, _) = Parse("--proxy-uid 1337 --outbound-port 16001 --inbound-ports *", new()
        {
            ["MESH_CAPTURE_PROXY_UID"] = "1",
            ["MESH_CAPTURE_OUTBOUND_PORT"] = "17001",
            ["ISTIO_INBOUND_PORTS"] = "9080",
        });

        Assert.Equal((1337, 16001), (plan!.ProxyUid, plan.OutboundPort));
        Assert.Null(plan.InboundPorts);
    }

    [Fact]
    public void A_bad_variable_is_named_with_its_flag()
    {
        var (plan, errors) = Parse("", new() { ["MESH_CAPTURE_PROXY_UID"] = "istio", ["ISTIO_INBOUND_PORTS"] = "80,http" });

        Assert.Null(plan);
        Assert.Equal(
            ["MESH_CAPTURE_PROXY_UID (--proxy-uid): \"istio\" is not a numeric id", "ISTIO_INBOUND_PORTS (--inbound-ports): \"http\" is not a port (1-65535)"],
            errors);
    }
}
