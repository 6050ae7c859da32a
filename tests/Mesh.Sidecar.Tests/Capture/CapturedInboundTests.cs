using System.Net;
using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Proxy;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Capture;

public sealed class CapturedInboundTests
{
    [Fact]
    public void A_captured_inbound_request_goes_to_the_port_it_was_sent_to()
    {
        var context = new DefaultHttpContext();
        context.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.244.1.5"), 9081)));

        Assert.Equal(9081, InboundHandler.ApplicationPort(context, appPort: 9080));
    }

    [Fact]
    public void A_request_to_the_inbound_port_itself_goes_to_the_app_port_if_there_is_one()
    {
        Assert.Equal(9080, InboundHandler.ApplicationPort(new DefaultHttpContext(), appPort: 9080));
        Assert.Null(InboundHandler.ApplicationPort(new DefaultHttpContext(), appPort: null));
    }
}
