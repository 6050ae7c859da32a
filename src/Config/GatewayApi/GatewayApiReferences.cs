using Mesh.Config.Views;

namespace Mesh.Config.GatewayApi;

/// <summary>The namespaces a Gateway API resource refers into, so that whoever gathers a <see cref="GatewayApiInput"/>
/// reads the secrets and services of those namespaces only.</summary>
public static class GatewayApiReferences
{
    /// <summary>The Gateway's own namespace and those of its listeners' certificate references.</summary>
    public static IEnumerable<string> SecretNamespaces(GatewayApiObject gateway) => gateway.Spec.Objects("listeners")
        .SelectMany(l => l.Obj("tls").Objects("certificateRefs"))
        .Select(r => r.Str("namespace") ?? gateway.Namespace)
        .Append(gateway.Namespace);

    /// <summary>The route's namespace and those of every backend it names: its rules', and their filters' mirrors.</summary>
    public static IEnumerable<string> BackendNamespaces(GatewayApiObject route) =>
        Backends(route).Select(b => b.Str("namespace") ?? route.Namespace).Append(route.Namespace);

    /// <summary>The Service host (<c>name.ns.svc.cluster.local</c>) of every backend the route names, so that whoever
    /// gathers the input asks about those services only.</summary>
    public static IEnumerable<string> BackendHosts(GatewayApiObject route) =>
        Backends(route).Select(b => GatewayApiNames.ServiceHost(b.Str("name") ?? "", b.Str("namespace") ?? route.Namespace));

    private static IEnumerable<System.Text.Json.Nodes.JsonObject> Backends(GatewayApiObject route)
    {
        var rules = route.Spec.Objects("rules").ToList();
        var backends = rules.SelectMany(r => r.Objects("backendRefs")).ToList();
        var filters = rules.SelectMany(r => r.Objects("filters")).Concat(backends.SelectMany(b => b.Objects("filters")));
        var mirrors = filters.Select(f => f.Obj("requestMirror").Obj("backendRef")).OfType<System.Text.Json.Nodes.JsonObject>();
        return backends.Concat(mirrors);
    }
}
