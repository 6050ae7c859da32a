using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Validation.Rules;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.VirtualServices;
using Mesh.Xds.Resources;
using Types = Mesh.Xds.Resources.TypeUrls;

namespace Mesh.Kubernetes.Status;

/// <summary>Which of a proxy's Envoy resources come from one config object: those of <see cref="TypeUrls"/> whose
/// service host is one of <see cref="Hosts"/>. A proxy is reached by the object when it holds one. The rule per kind:
/// <list type="bullet">
/// <item>VirtualService (mesh-bound): its route configurations <c>HOST:PORT</c> for its hosts; NACKs of routes.</item>
/// <item>DestinationRule: the clusters <c>outbound|PORT|SUBSET|HOST</c> of its host; NACKs of clusters.</item>
/// <item>ServiceEntry: the clusters and endpoint assignments of its hosts; NACKs of endpoint assignments only, since
/// a cluster's content comes from DestinationRules too (a cluster NACK is the rule's, not the entry's).</item>
/// </list>
/// Not traced (no <c>fleet</c>): a Gateway (its listeners are named by the workload its selector picks, which the
/// spec alone cannot tell), Sidecar, PeerAuthentication, AuthorizationPolicy, RequestAuthentication (they select
/// proxies by labels, which the proxy status does not carry, and land in listeners shared with every other policy),
/// WorkloadEntry and WorkloadGroup (an endpoint among others), and a VirtualService bound only to gateways.</summary>
/// <param name="Blamed">The types whose NACKs may be about the object (those naming one of its resources).</param>
/// <param name="RouteNamePrefix">For a VirtualService, the start of its routes' names (<c>NAMESPACE.NAME.</c>, see
/// <c>RouteNames</c>), which Envoy and Mesh's sidecar quote in their errors.</param>
public sealed record FleetScope(IReadOnlySet<string> TypeUrls, IReadOnlySet<string> Hosts, IReadOnlySet<string> Blamed, string RouteNamePrefix = "")
{
    /// <summary>The scope of an object whose spec passed validation; null for the kinds whose Envoy resources are not
    /// traced to them.</summary>
    public static FleetScope? Of(ResourceKind kind, string @namespace, string name, JsonObject spec) => kind.Kind switch
    {
        KindNames.VirtualService when VirtualServiceView.From(spec) is { AppliesToMesh: true } view =>
            new(Set(Types.Route), Set(view.ServiceHosts(@namespace)), Set(Types.Route), $"{@namespace}.{name}."),
        KindNames.DestinationRule =>
            new(Set(Types.Cluster), Set(DestinationRuleView.From(spec).QualifiedHost(@namespace)), Set(Types.Cluster)),
        KindNames.ServiceEntry =>
            new(Set(Types.Cluster, Types.Endpoint), Set(ServiceEntryHosts(spec, @namespace)), Set(Types.Endpoint)),
        _ => null,
    };

    /// <summary>The names in <paramref name="type"/> that come from the object.</summary>
    public IEnumerable<string> Held(ProxyTypeSnapshot type) =>
        !TypeUrls.Contains(type.TypeUrl) ? []
        : type.Names.Where(n => XdsNames.HostOf(type.TypeUrl, n) is { } host && Hosts.Contains(host));

    public bool Reaches(ProxySnapshot proxy) => proxy.Types.Any(t => Held(t).Any());

    private static IEnumerable<string> ServiceEntryHosts(JsonObject spec, string @namespace) =>
        (spec["hosts"] as JsonArray ?? []).Select(h => h?.GetValue<string>()).OfType<string>().Select(h => HostNames.Qualify(h, @namespace));

    private static HashSet<string> Set(params IEnumerable<string> values) => values.ToHashSet(StringComparer.Ordinal);
}
