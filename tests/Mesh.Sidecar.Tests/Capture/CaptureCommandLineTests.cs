using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Hosting;

namespace Mesh.Sidecar.Tests.Capture;

public sealed class CaptureCommandLineTests
{
    private static (CapturePlan? Plan, IReadOnlyList<string> Errors) Parse(string arguments)
        => CaptureCommandLine.Parse(SidecarCommandLine.Command.Parse(("capture " + arguments).Split(' ', StringSplitOptions.RemoveEmptyEntries)));

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

    [Theory]
    [InlineData("", "--proxy-uid: required: the uid the sidecar runs as (without it the sidecar's own connections would loop back into it)")]
    [InlineData("--proxy-uid istio", "--proxy-uid: \"istio\" is not a numeric id")]
    [InlineData("--proxy-uid 1337 --inbound-ports 80,http", "--inbound-ports: \"http\" is not a port (1-65535)")]
    [InlineData("--proxy-uid 1337 --exclude-outbound-ports *", "--exclude-outbound-ports: * is not allowed here; list the ports")]
    [InlineData("--proxy-uid 1337 --include-outbound-cidrs 10.0.0.0/33", "--include-outbound-cidrs: \"10.0.0.0/33\" is not an IPv4 CIDR such as 10.96.0.0/12")]
    [InlineData("--proxy-uid 1337 --exclude-outbound-cidrs fd00::/8", "--exclude-outbound-cidrs: \"fd00::/8\" is IPv6; only IPv4 is captured so far")]
    [InlineData("--proxy-uid 1337 --outbound-port 15006", "--outbound-port and --inbound-port must differ")]
    public void Bad_flags_are_refused_naming_the_flag(string arguments, string error)
    {
        var (plan, errors) = Parse(arguments);

        Assert.Null(plan);
        Assert.Equal(error, Assert.Single(errors));
    }
}
