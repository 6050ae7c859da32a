using System.Text.Json.Nodes;
using Mesh.Config.Views;

namespace Mesh.Config.GatewayApi;

/// <summary>What one <c>parentRef</c> of a route came to: the Gateway, the listeners that took the route with the hosts
/// it serves on each, and the <c>Accepted</c> condition that says so or why not.</summary>
public sealed record RouteAttachment(JsonObject ParentRef, GatewayApiObject? Gateway, IReadOnlyList<(ListenerState Listener, IReadOnlyList<string> Hosts)> Listeners, Condition Accepted)
{
    /// <summary>Attaches <paramref name="route"/> through one parent reference; null for a parent that is not a Gateway,
    /// or is a Gateway of another implementation's class (theirs to report on: Mesh writes no entry for it).</summary>
    public static RouteAttachment? Attach(GatewayApiObject route, JsonObject parentRef, IReadOnlyDictionary<string, MeshGateway> gateways, GatewayApiInput input)
    {
        if ((parentRef.Str("group") ?? GatewayApiNames.Group) != GatewayApiNames.Group || (parentRef.Str("kind") ?? "Gateway") != "Gateway") return null;
        var ns = parentRef.Str("namespace") ?? route.Namespace;
        var name = parentRef.Str("name");
        if (!gateways.TryGetValue($"{ns}/{name}", out var gateway))
        {
            if (input.Gateways.Any(g => g.Namespace == ns && g.Name == name)) return null;
            return new(parentRef, null, [], new Condition("Accepted", false, "NoMatchingParent", $"Gateway {ns}/{name} does not exist"));
        }
        var section = parentRef.Str("sectionName");
        var port = parentRef.Long("port");
        var named = gateway.Listeners.Where(l => l.Valid && (section is null || l.Name == section) && (port is null || l.Port == port)).ToList();
        if (named.Count == 0)
        {
            return new(parentRef, gateway.Object, [], new Condition("Accepted", false, "NoMatchingParent", "no valid listener of the Gateway has that sectionName and port"));
        }
        var allowed = named.Where(l => l.SupportedKinds.Contains(route.Kind) && NamespaceAllowed(l, gateway.Object, route.Namespace, input)).ToList();
        if (allowed.Count == 0)
        {
            return new(parentRef, gateway.Object, [], new Condition("Accepted", false, "NotAllowedByListeners", $"no listener allows {route.Kind}s from namespace {route.Namespace}"));
        }
        var hostnames = route.Spec.Strings("hostnames");
        var attached = allowed.Select(l => (Listener: l, Hosts: HostnameIntersection.Of(l.Hostname, hostnames))).Where(a => a.Hosts.Count > 0).ToList();
        return attached.Count == 0
            ? new(parentRef, gateway.Object, [], new Condition("Accepted", false, "NoMatchingListenerHostname", "no listener hostname matches the route's hostnames"))
            : new(parentRef, gateway.Object, attached, new Condition("Accepted", true, "Accepted"));
    }

    private static bool NamespaceAllowed(ListenerState listener, GatewayApiObject gateway, string routeNamespace, GatewayApiInput input)
    {
        var namespaces = listener.AllowedRoutes.Obj("namespaces");
        return (namespaces.Str("from") ?? "Same") switch
        {
            "All" => true,
            "Selector" => Selects(namespaces.Obj("selector"), input.NamespaceLabels.GetValueOrDefault(routeNamespace) ?? new Dictionary<string, string>()),
            _ => routeNamespace == gateway.Namespace,
        };
    }

    private static bool Selects(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector.StringMap("matchLabels").Any(l => !labels.TryGetValue(l.Key, out var v) || v != l.Value)) return false;
        return selector.Objects("matchExpressions").All(e =>
        {
            var has = labels.TryGetValue(e.Str("key") ?? "", out var value);
            var values = e.Strings("values");
            return e.Str("operator") switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                _ => !has,
            };
        });
    }
}

/// <summary>A Gateway of one of Mesh's GatewayClasses, with its listeners read.</summary>
public sealed record MeshGateway(GatewayApiObject Object, IReadOnlyList<ListenerState> Listeners);
