using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy.Gateway;

/// <summary>A gateway's HTTP request: routed by the route table of the filter chain its connection matched (virtual
/// host by Host header, then route), then served by the same path as a sidecar's outbound requests (faults, redirects,
/// retries, timeouts, header edits, mirrors, mTLS to the mesh under the gateway's own identity). The gateway
/// workload's RequestAuthentication and AuthorizationPolicy (the chain's JWT and RBAC filters) come first, then the
/// route's ApiPolicy.</summary>
public sealed class GatewayHandler(ConfigStore store, OutboundHandler outbound, IEnumerable<IInboundPolicy> policies, ApiPolicyEnforcement apiPolicies)
{
    private readonly IInboundPolicy[] _policies = [.. policies];

    public async Task Handle(HttpContext context)
    {
        if (GatewayConnection.Of(context) is not { Chain.Http: { } listener } connection)
        {
            await LocalReply.Send(context, 404, "no HTTP filter chain for this connection", "NR");
            return;
        }
        context.Items[RequestItems.Listener] = connection.Listener;
        if (connection.Chain.Security is { } security && !await InboundHandler.Admit(context, _policies, security)) return;
        // Only the gateway says who the consumer is.
        context.Request.Headers.Remove(ApiPolicyFilters.ConsumerHeader);
        var selection = await RouteSelector.Route(context, store.Current, listener, fallbackDomain: null, connection.Tls);
        if (selection is RouteSelection.Routed { Route.ApiPolicy: { } policy } && !await apiPolicies.Admit(context, policy)) return;
        await outbound.Dispatch(context, selection);
    }
}
