using System.Text.Json.Nodes;
using Mesh.Config.Views;
using Mesh.Config.Views.Gateways;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.GatewayApi;

/// <summary>A Gateway API Gateway as the Istio path sees it: the converted Gateway (selecting the workloads labelled
/// with its name in its namespace) and the VirtualServices bound to it, one per listener port and host.</summary>
public sealed record GatewayBinding(string GatewayKey, string Namespace, string GatewayReference, GatewayView Gateway, IReadOnlyList<VirtualServiceView> VirtualServices);

/// <summary>What the Gateway API resources of the store come to: the bindings to serve, and the status of every
/// resource Mesh is responsible for, keyed by resource key (the <c>status</c> object as the API defines it).</summary>
public sealed record GatewayApiResult(IReadOnlyList<GatewayBinding> Bindings, IReadOnlyDictionary<string, JsonObject> Status);

/// <summary>Converts the Gateway API (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant) into the views the
/// Istio path uses, and computes its status. Pure: the same input gives the same result.</summary>
public static class GatewayApiConversion
{
    public static GatewayApiResult Convert(GatewayApiInput input)
    {
        var status = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var classes = input.GatewayClasses.Where(c => c.Spec.Str("controllerName") == GatewayApiNames.ControllerName).ToList();
        foreach (var gatewayClass in classes)
        {
            status[gatewayClass.Key] = Conditions(gatewayClass, input, [new Condition("Accepted", true, "Accepted")]);
        }
        var grants = new ReferenceGrants(input.ReferenceGrants);
        var gateways = input.Gateways.Where(g => classes.Any(c => c.Name == g.Spec.Str("gatewayClassName")))
            .Select(g => new MeshGateway(g, ListenerState.Read(g, input, grants)))
            .ToDictionary(g => $"{g.Object.Namespace}/{g.Object.Name}", StringComparer.Ordinal);

        var attached = new List<(RouteAttachment Attachment, IReadOnlyList<RankedRoute> Routes)>();
        foreach (var route in input.HttpRoutes.Concat(input.GrpcRoutes))
        {
            var backends = new RouteBackends(route, input, grants);
            var ranked = (route.Kind == "GRPCRoute" ? GrpcRouteRules.Grpc(route, backends) : RouteRules.Http(route, backends)).ToList();
            var parents = route.Spec.Objects("parentRefs").Select(p => RouteAttachment.Attach(route, p, gateways, input)).OfType<RouteAttachment>().ToList();
            attached.AddRange(parents.Where(p => p.Accepted.Status).Select(p => (p, (IReadOnlyList<RankedRoute>)ranked)));
            // Even with no parent of Mesh's: an entry Mesh wrote before (the route has left Mesh's Gateways) goes.
            status[route.Key] = RouteStatus.Of(route, parents, backends.ResolvedRefs, input);
        }

        var bindings = new List<GatewayBinding>();
        foreach (var gateway in gateways.Values)
        {
            var mine = attached.Where(a => a.Attachment.Gateway == gateway.Object).ToList();
            status[gateway.Object.Key] = GatewayStatus(gateway, mine.Select(a => a.Attachment).ToList(), input);
            bindings.Add(Bind(gateway, mine));
        }
        return new GatewayApiResult(bindings, status);
    }

    private static GatewayBinding Bind(MeshGateway gateway, IReadOnlyList<(RouteAttachment Attachment, IReadOnlyList<RankedRoute> Routes)> attached)
    {
        var (ns, name) = (gateway.Object.Namespace, gateway.Object.Name);
        var reference = GatewayApiNames.GatewayReference(ns, name);
        var view = new GatewayView
        {
            Selector = new Dictionary<string, string> { [GatewayApiNames.GatewayNameLabel] = name },
            Servers = [.. gateway.Listeners.Select(l => l.ToServer()).OfType<GatewayServer>()],
        };
        // Per port and host: the routes for that exact host first, then those of the wildcards that cover it (the
        // narrowest first), each group in the API's precedence, so that a request finds what the API says it finds.
        var byPortAndHost = attached
            .SelectMany(a => a.Attachment.Listeners.SelectMany(l => l.Hosts.SelectMany(h => a.Routes.Select(r => (l.Listener.Port, Host: h, Route: r)))))
            .Distinct()
            .ToList();
        var services = new List<VirtualServiceView>();
        foreach (var port in byPortAndHost.GroupBy(e => e.Port).OrderBy(g => g.Key))
        {
            foreach (var host in port.Select(e => e.Host).Distinct().Order(StringComparer.Ordinal))
            {
                var routes = port.Where(e => e.Host == host || e.Host == "*" || HostnameIntersection.Covers(e.Host, host))
                    .GroupBy(e => e.Host).OrderBy(g => g.Key == host ? 0 : 1).ThenByDescending(g => g.Key.Length)
                    .SelectMany(g => g.Select(e => e.Route).Order(RankedRoute.Precedence))
                    .Select(r => r.Route with { Match = [.. r.Route.Match.Select(m => m with { Port = port.Key })] });
                services.Add(new VirtualServiceView { Hosts = [host], Gateways = [reference], Http = [.. routes] });
            }
        }
        return new GatewayBinding(gateway.Object.Key, ns, reference, view, services);
    }

    private static JsonObject GatewayStatus(MeshGateway gateway, IReadOnlyList<RouteAttachment> attachments, GatewayApiInput input)
    {
        var previous = input.PreviousStatus.GetValueOrDefault(gateway.Object.Key);
        var anyValid = gateway.Listeners.Any(l => l.Valid);
        var allValid = gateway.Listeners.All(l => l.Valid);
        var status = Conditions(gateway.Object, input,
        [
            anyValid ? new Condition("Accepted", true, allValid ? "Accepted" : "ListenersNotValid", allValid ? "" : "some listeners are not valid")
                : new Condition("Accepted", false, "ListenersNotValid", "no listener is valid"),
            anyValid ? new Condition("Programmed", true, "Programmed") : new Condition("Programmed", false, "Invalid", "no listener is valid"),
        ]);
        status["listeners"] = new JsonArray([.. gateway.Listeners.Select(l => (JsonNode)new JsonObject
        {
            ["name"] = l.Name,
            ["supportedKinds"] = new JsonArray([.. l.SupportedKinds.Select(k => (JsonNode)new JsonObject { ["group"] = GatewayApiNames.Group, ["kind"] = k })]),
            ["attachedRoutes"] = attachments.Count(a => a.Listeners.Any(x => x.Listener == l)),
            ["conditions"] = Condition.ToJson(l.Conditions, gateway.Object.Generation, input.Now,
                (previous?["listeners"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(p => p["name"]?.GetValue<string>() == l.Name)?["conditions"] as JsonArray),
        })]);
        return status;
    }

    internal static JsonObject Conditions(GatewayApiObject resource, GatewayApiInput input, IEnumerable<Condition> conditions) => new()
    {
        ["conditions"] = Condition.ToJson(conditions, resource.Generation, input.Now, input.PreviousStatus.GetValueOrDefault(resource.Key)?["conditions"] as JsonArray),
    };
}
