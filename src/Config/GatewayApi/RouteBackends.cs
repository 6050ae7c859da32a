using System.Text.Json.Nodes;
using Mesh.Config.Views;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.GatewayApi;

/// <summary>Resolves a route's backend references to mesh destinations, and remembers the first that did not resolve
/// (the route's <c>ResolvedRefs</c> condition).</summary>
public sealed class RouteBackends(GatewayApiObject route, GatewayApiInput input, ReferenceGrants grants)
{
    public Condition? Problem { get; private set; }

    public Condition ResolvedRefs => Problem ?? new Condition("ResolvedRefs", true, "ResolvedRefs");

    /// <summary>The destination of a backend reference, or null when it does not resolve.</summary>
    public Destination? Resolve(JsonObject? reference)
    {
        var (group, kind, name) = (reference.Str("group") ?? "", reference.Str("kind") ?? "Service", reference.Str("name") ?? "");
        var ns = reference.Str("namespace") ?? route.Namespace;
        if (group != "" || kind != "Service") return Fail("InvalidKind", $"backend kind {(group == "" ? "" : group + "/")}{kind} is not supported: Mesh routes to Services");
        if (!grants.Permit(route.Kind, route.Namespace, "", "Service", ns, name))
        {
            return Fail("RefNotPermitted", $"no ReferenceGrant in {ns} lets {route.Kind}s of {route.Namespace} refer to Service {name}");
        }
        var host = GatewayApiNames.ServiceHost(name, ns);
        if (input.ServiceHosts is { } hosts && !hosts.Contains(host)) return Fail("BackendNotFound", $"Service {ns}/{name} does not exist");
        return new Destination(host, null, (int?)reference.Long("port"));
    }

    /// <summary>The weighted destinations of a rule, with each backend's own header filters. Backends of weight 0 get
    /// no traffic; a rule none of whose backends resolve answers 500 (see <see cref="RouteRules"/>).</summary>
    public IReadOnlyList<HttpRouteDestination> Weighted(IEnumerable<JsonObject> backendRefs)
    {
        var destinations = new List<HttpRouteDestination>();
        foreach (var backend in backendRefs)
        {
            if (Resolve(backend) is not { } destination) continue;
            var weight = (int)(backend.Long("weight") ?? 1);
            if (weight == 0) continue;
            destinations.Add(new HttpRouteDestination(destination, weight, RouteFilters.Headers(backend.Objects("filters"))));
        }
        return destinations;
    }

    private Destination? Fail(string reason, string message)
    {
        Problem ??= new Condition("ResolvedRefs", false, reason, message);
        return null;
    }
}
