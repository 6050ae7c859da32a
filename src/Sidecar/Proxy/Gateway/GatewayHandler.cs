using Mesh.Sidecar.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy.Gateway;

/// <summary>A gateway's HTTP request: routed by the route table of the filter chain its connection matched (virtual
/// host by Host header, then route), then served by the same path as a sidecar's outbound requests (faults, redirects,
/// retries, timeouts, header edits, mirrors, mTLS to the mesh under the gateway's own identity).</summary>
public sealed class GatewayHandler(ConfigStore store, OutboundHandler outbound)
{
    public async Task Handle(HttpContext context)
    {
        if (GatewayConnection.Of(context) is not { Chain.Http: { } listener } connection)
        {
            await LocalReply.Send(context, 404, "no HTTP filter chain for this connection", "NR");
            return;
        }
        context.Items[RequestItems.Listener] = connection.Listener;
        await outbound.Dispatch(context, await RouteSelector.Route(context, store.Current, listener, fallbackDomain: null, connection.Tls));
    }
}
