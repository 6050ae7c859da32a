using System.Net.Sockets;
using Mesh.Config.Validation.Rules;
using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy.Paths;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy;

/// <summary>Chooses what serves an outbound request: the request's authority (Host header, or an absolute-form target
/// when the app uses the sidecar as its HTTP proxy) names the listener <c>HOST:PORT</c>, fetched on first use; the
/// listener normalizes the path; its route table gives the virtual host, whose routes are matched in order as Envoy
/// does. On a connection captured by iptables whose Host the mesh does not know, the original destination is tried
/// next (a service's VIP has a listener <c>VIP:PORT</c>). A destination the mesh does not know has no listener and is
/// passed through (Istio's ALLOW_ANY): on a captured connection, to the address the application connected to, as
/// Envoy's PassthroughCluster (ORIGINAL_DST).</summary>
public sealed class RouteSelector(SidecarOptions options, ConfigStore store)
{
    public async Task<RouteSelection> Select(HttpContext context)
    {
        var authority = context.Request.Host;
        if (!authority.HasValue) return new RouteSelection.NoRoute(400, "the request names no host (Host header or absolute URI)");
        var captured = context.Features.Get<CapturedConnection>()?.OriginalDestination;
        // A captured request's Host header may leave out the port; the port the application connected to is the one.
        var port = authority.Port ?? captured?.Port ?? 80;
        if (IsSelf(authority.Host, port)) return new RouteSelection.NoRoute(404, $"{authority} is this sidecar itself");
        // An IPv6 literal names its listener without brackets, as the control plane keys a VIP's (ServiceAddresses).
        var service = authority.Host.StartsWith('[') ? authority.Host.Trim('[', ']') : HostNames.Qualify(authority.Host.ToLowerInvariant(), options.Namespace);
        var listenerName = XdsNames.Listener(service, port);
        context.Items[RequestItems.Service] = service;
        var model = store.Current;
        if (!model.Listeners.ContainsKey(listenerName))
        {
            await store.Discover(listenerName, options.DiscoveryTimeout, context.RequestAborted);
            model = store.Current;
        }
        if (model.Listeners.TryGetValue(listenerName, out var listener)) return await Route(context, model, listener, listenerName, tls: false);
        if (captured is null) return new RouteSelection.Unknown(authority.Host, port);
        // The Host names nothing known: the address the application connected to may be a service's VIP, whose
        // listener routes with that service's configuration (its domains hold the VIP)...
        var address = captured.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{captured.Address}]" : captured.Address.ToString();
        var byAddress = XdsNames.Listener(captured.Address.ToString(), captured.Port);
        if (byAddress != listenerName && await store.Discover(byAddress, options.DiscoveryTimeout, context.RequestAborted)
            && store.Current.Listeners.TryGetValue(byAddress, out listener))
        {
            return await Route(context, store.Current, listener, XdsNames.Listener(address, captured.Port), tls: false);
        }
        // ...or an endpoint (a pod IP) of a service this sidecar has endpoints for: routed with that service's
        // configuration and kept on that endpoint where the chosen cluster holds it; else it passes through.
        if (EndpointOwner.Find(store.Current, captured) is { } owner && store.Current.Listeners.TryGetValue(owner.Listener, out listener))
        {
            context.Items[RequestItems.Endpoint] = owner.Endpoint;
            return await Route(context, store.Current, listener, owner.Listener, tls: false);
        }
        return new RouteSelection.Unknown(address, captured.Port);
    }

    /// <summary>The route of <paramref name="listener"/> for a request, as Envoy's connection manager and router pick
    /// it: the path normalized, the virtual host by authority (else by <paramref name="fallbackDomain"/>), a plain-text
    /// request to a host that requires TLS redirected to https, then the first route that matches.</summary>
    public static async Task<RouteSelection> Route(HttpContext context, ProxyModel model, ListenerModel listener, string? fallbackDomain, bool tls)
    {
        if (!await RequestTarget.Apply(context, listener.Paths)) return RouteSelection.Answered.Instance;
        var table = listener.InlineRoutes ?? model.Routes.GetValueOrDefault(listener.RouteConfigName);
        var virtualHost = table?.Find(context.Request.Host.Value ?? "") ?? (fallbackDomain is null ? null : table?.Find(fallbackDomain));
        if (virtualHost is { RequireTls: true } && !tls)
        {
            LocalReply.Redirect(context, ToHttps);
            return RouteSelection.Answered.Instance;
        }
        var path = context.Request.Path.Value ?? "/";
        var roll = Random.Shared.NextDouble();
        var route = virtualHost is null ? null : FirstMatch(virtualHost.Routes, context.Request, path, roll);
        if (virtualHost is null || route is null) return new RouteSelection.NoRoute(404, "route_not_found");
        context.Items[RequestItems.Route] = route.Name;
        return new RouteSelection.Routed(model, listener, virtualHost, route);
    }

    /// <summary>Envoy's answer to require_tls: the same host and path over https, 301.</summary>
    private static readonly RedirectAction ToHttps = new("https", null, null, null, null, 301, false);

    /// <summary>The first route that matches, in order (a loop: this runs for every request).</summary>
    private static RouteEntry? FirstMatch(IReadOnlyList<RouteEntry> routes, HttpRequest request, string path, double roll)
    {
        foreach (var route in routes)
        {
            if (route.Match.Matches(request, path, roll)) return route;
        }
        return null;
    }

    private bool IsSelf(string host, int port)
        => (host is "localhost" or "127.0.0.1" or "[::1]" || host == options.Address)
            && (port == options.OutboundPort || port == options.InboundPort || port == options.AdminPort);
}

/// <summary>What <see cref="RouteSelector"/> made of a request.</summary>
public abstract record RouteSelection
{
    private RouteSelection()
    {
    }

    /// <summary>A route of a mesh listener matched, in the model the request is served from.</summary>
    public sealed record Routed(ProxyModel Model, ListenerModel Listener, VirtualHostModel Host, RouteEntry Route) : RouteSelection;

    /// <summary>No listener for the authority: the request goes to where it points.</summary>
    public sealed record Unknown(string Host, int Port) : RouteSelection;

    /// <summary>Nothing to route to: the sidecar answers <paramref name="Status"/> with <paramref name="Reason"/> (flag NR).</summary>
    public sealed record NoRoute(int Status, string Reason) : RouteSelection;

    /// <summary>The listener's path handling answered the request already (a refused or redirected path).</summary>
    public sealed record Answered : RouteSelection
    {
        public static Answered Instance { get; } = new();
    }
}
