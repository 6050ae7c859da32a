using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.VirtualServices;
using Mesh.Xds.Resources;

namespace Mesh.Kubernetes.Status;

/// <summary>Which of a proxy's Envoy resources come from one config object: those of <see cref="TypeUrl"/> whose
/// service host is one of <see cref="Hosts"/> (a VirtualService's route configurations <c>HOST:PORT</c>, a
/// DestinationRule's clusters <c>outbound|PORT|SUBSET|HOST</c>). A proxy is reached by the object when it holds one.</summary>
/// <param name="RouteNamePrefix">For a VirtualService, the start of its routes' names (<c>NAMESPACE.NAME.</c>, see
/// <c>RouteNames</c>), which Envoy and Mesh's sidecar quote in their errors.</param>
public sealed record FleetScope(string TypeUrl, IReadOnlySet<string> Hosts, string RouteNamePrefix = "")
{
    /// <summary>The scope of an object whose spec passed validation; null for the kinds whose Envoy resources are not
    /// traced to them (all but VirtualService and DestinationRule, for now).</summary>
    public static FleetScope? Of(ResourceKind kind, string @namespace, string name, JsonObject spec) => kind.Kind switch
    {
        KindNames.VirtualService when VirtualServiceView.From(spec) is { AppliesToMesh: true } view =>
            new(TypeUrls.Route, view.ServiceHosts(@namespace).ToHashSet(StringComparer.Ordinal), $"{@namespace}.{name}."),
        KindNames.DestinationRule =>
            new(TypeUrls.Cluster, new HashSet<string>([DestinationRuleView.From(spec).QualifiedHost(@namespace)], StringComparer.Ordinal)),
        _ => null,
    };

    /// <summary>The names in <paramref name="type"/> that come from the object.</summary>
    public IEnumerable<string> Held(ProxyTypeSnapshot type) =>
        type.TypeUrl != TypeUrl ? []
        : type.Names.Where(n => XdsNames.HostOf(TypeUrl, n) is { } host && Hosts.Contains(host));

    public bool Reaches(ProxySnapshot proxy) => proxy.Types.Any(t => Held(t).Any());
}
