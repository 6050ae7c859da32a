using System.Net;
using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>A pod's second port has its own portLevelMtls: a captured request is judged by the port it was sent to,
/// not by <c>--app-port</c> (the first port).</summary>
public sealed class InboundSecurityPortTests
{
    private static readonly InboundModel StrictOn9443 =
        new(InboundTransports.Both, new Dictionary<uint, InboundTransports> { [9443] = InboundTransports.MutualTls }, InboundHttpFilters.None);

    private static readonly InboundSecurity Security =
        new(new SidecarOptions { XdsServers = ["127.0.0.1:1"], Workload = "reviews", AppPort = 9080 }, NullLogger<InboundSecurity>.Instance);

    private static HttpContext PlainRequest(int? capturedPort)
    {
        var context = new DefaultHttpContext();
        if (capturedPort is { } port) context.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.0.0.7"), port)));
        return context;
    }

    [Fact]
    public async Task PlainText_ToTheStrictSecondPort_IsRefused()
    {
        var decision = await Security.Evaluate(PlainRequest(9443), StrictOn9443);
        Assert.False(decision.Allowed);
        Assert.True(decision.Reset);
    }

    [Theory]
    [InlineData(9080)]
    [InlineData(null)]
    public async Task PlainText_ToThePermissiveAppPort_IsAdmitted(int? capturedPort) =>
        Assert.True((await Security.Evaluate(PlainRequest(capturedPort), StrictOn9443)).Allowed);
}
