using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>The outbound listener: <see cref="RouteSelector"/> picks the route (or passes an unknown host through);
/// then, as Envoy's filters and router do, faults, redirects and direct responses are answered locally, the weighted
/// cluster is picked, and the request is forwarded by the <see cref="ForwardPipeline"/> and mirrored.</summary>
public sealed class OutboundHandler(
    SidecarOptions options, ConfigStore store, YarpClusters yarp, ClusterRuntimes runtimes, OutlierDetector outliers,
    IHttpForwarder forwarder, Upstreams upstreams, SidecarMetrics metrics, ILogger<OutboundHandler> logger)
{
    private readonly RouteSelector _routes = new(options, store);
    private readonly ForwardPipeline _pipeline = new(options, outliers, forwarder, metrics);
    private readonly RequestMirror _mirror = new(options, yarp, runtimes);
    private readonly Passthrough _passthrough = new(options, forwarder, upstreams, logger);

    public async Task Handle(HttpContext context) => await Dispatch(context, await _routes.Select(context));

    /// <summary>Serves a request as <paramref name="selection"/> says (a gateway's requests come here with their own).</summary>
    public async Task Dispatch(HttpContext context, RouteSelection selection)
    {
        switch (selection)
        {
            case RouteSelection.NoRoute none:
                await LocalReply.Send(context, none.Status, none.Reason, "NR");
                return;
            case RouteSelection.Unknown unknown:
                await _passthrough.Send(context, unknown.Host, unknown.Port);
                return;
            case RouteSelection.Routed routed:
                await Serve(context, routed);
                return;
        }
    }

    private async Task Serve(HttpContext context, RouteSelection.Routed selected)
    {
        var (model, listener, virtualHost, route) = selected;
        // Istio runs the CORS filter before the fault filter; Envoy's skips routes that redirect or answer directly.
        // The route's policy alone turns it on: the control plane's listeners do not list the filter.
        if (route is { Cors: { } cors, Forward: not null } && CorsEnforcement.Apply(context, cors)) return;
        if (listener.FaultFilter && route.Fault is { } fault && await FaultInjection.Apply(context, fault)) return;
        if (route.Redirect is { } redirect)
        {
            LocalReply.Redirect(context, redirect);
            return;
        }
        if (route.Direct is { } direct)
        {
            await LocalReply.Direct(context, direct);
            return;
        }
        var action = route.Forward!;
        var picked = action.Pick(Random.Shared.NextDouble());
        context.Items[RequestItems.UpstreamCluster] = picked.Name;
        if (!model.Clusters.TryGetValue(picked.Name, out var cluster) || yarp.Find(picked.Name) is not { } yarpCluster)
        {
            await LocalReply.Send(context, 503, "cluster_not_found", "NC");
            return;
        }
        var state = new ForwardState(context, model, cluster, runtimes.For(cluster.Name), yarpCluster, action, route, virtualHost, picked, RequestHash.Of(action.HashPolicies, context));
        await _pipeline.Forward(state);
        _mirror.Send(state);
    }
}
