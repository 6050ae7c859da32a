using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Validation.Rules;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.Gateways;
using Mesh.Config.Views.Security;
using Mesh.Config.Views.VirtualServices;
using Mesh.Xds.Resources;
using Types = Mesh.Xds.Resources.TypeUrls;

namespace Mesh.Kubernetes.Status;

/// <summary>Which connected proxies one config object reaches, which of their Envoy resources carry it, and which of
/// their NACKs are its. Kinds traced by host reach a proxy that holds one of the resources of <see cref="TypeUrls"/>
/// whose service host is one of <see cref="Hosts"/>:
/// <list type="bullet">
/// <item>VirtualService (mesh-bound): its route configurations <c>HOST:PORT</c> for its hosts; NACKs of routes.</item>
/// <item>DestinationRule: the clusters <c>outbound|PORT|SUBSET|HOST</c> of its host; NACKs of clusters.</item>
/// <item>ServiceEntry: the clusters and endpoint assignments of its hosts; NACKs of endpoint assignments only, since
/// a cluster's content comes from DestinationRules too (a cluster NACK is the rule's, not the entry's).</item>
/// </list>
/// Kinds that select workloads reach the proxies they select (<see cref="Selects"/>, by the namespace and labels in
/// the proxies' node metadata and the rule translation applies, <see cref="WorkloadPolicyScope"/>), and are carried by
/// the selected proxies' resources of <see cref="TypeUrls"/>:
/// <list type="bullet">
/// <item>AuthorizationPolicy: sidecars and gateways; listeners (a sidecar's inbound listener, a gateway's listeners
/// hold its RBAC filter). A listener NACK is its when the error names one of its RBAC policies,
/// <c>ns[NS]-policy[NAME]-rule[N]</c>.</item>
/// <item>RequestAuthentication: sidecars and gateways; listeners (the JWT filter). Never blamed: its providers are
/// named <c>origins-N</c> by their place among every policy of the workload, and an issuer or JWKS URI may be
/// another policy's too.</item>
/// <item>PeerAuthentication: sidecars; listeners (the inbound listener's mTLS mode). Never blamed: nothing in the
/// listener is named after it. (Clients read it too, to choose mTLS; their clusters are not counted.)</item>
/// <item>Gateway: gateways whose labels include its selector, in any namespace; listeners and route configurations
/// <c>gateway|NS|WORKLOAD|PORT</c>. Never blamed: they are named by workload and port, hold every selecting
/// Gateway's servers and bound routes, and no filter chain carries the Gateway's name.</item>
/// </list>
/// Not traced (no <c>fleet</c>): WorkloadEntry and WorkloadGroup (an endpoint among others), a VirtualService bound
/// only to gateways, and Sidecar, which Mesh validates and stores but does not apply to proxies yet (its status says
/// so, <see cref="ObjectStatus"/>): counting proxies as running it would claim an effect it does not have.</summary>
/// <param name="Blamed">The types whose NACKs may be about the object (those naming one of its resources).</param>
/// <param name="RouteNamePrefix">For a VirtualService, the start of its routes' names (<c>NAMESPACE.NAME.</c>, see
/// <c>RouteNames</c>), which Envoy and Mesh's sidecar quote in their errors.</param>
public sealed record FleetScope(IReadOnlySet<string> TypeUrls, IReadOnlySet<string> Hosts, IReadOnlySet<string> Blamed, string RouteNamePrefix = "")
{
    /// <summary>For the kinds that select workloads, whether a proxy is selected; null for the kinds traced by host.</summary>
    public Func<ProxySnapshot, bool>? Selects { get; init; }

    /// <summary>Text that a NACK's error contains only when it is about the object (an AuthorizationPolicy's RBAC policy
    /// names start with it); empty when none.</summary>
    public string NackMark { get; init; } = "";

    /// <summary>The scope of an object whose spec passed validation; null for the kinds whose Envoy resources are not
    /// traced to them.</summary>
    /// <param name="rootNamespace">The mesh's root namespace, where a policy without selector applies to every proxy.</param>
    public static FleetScope? Of(ResourceKind kind, string @namespace, string name, JsonObject spec, string rootNamespace) => kind.Kind switch
    {
        KindNames.VirtualService when VirtualServiceView.From(spec) is { AppliesToMesh: true } view =>
            new(Set(Types.Route), Set(view.ServiceHosts(@namespace)), Set(Types.Route), $"{@namespace}.{name}."),
        KindNames.DestinationRule =>
            new(Set(Types.Cluster), Set(DestinationRuleView.From(spec).QualifiedHost(@namespace)), Set(Types.Cluster)),
        KindNames.ServiceEntry =>
            new(Set(Types.Cluster, Types.Endpoint), Set(ServiceEntryHosts(spec, @namespace)), Set(Types.Endpoint)),
        KindNames.AuthorizationPolicy =>
            Policy(kind.Kind, @namespace, AuthorizationPolicyView.From(spec).Selection, rootNamespace, gateways: true, Set(Types.Listener))
                with { NackMark = $"ns[{@namespace}]-policy[{name}]-rule[" },
        KindNames.RequestAuthentication =>
            Policy(kind.Kind, @namespace, RequestAuthenticationView.From(spec).Selection, rootNamespace, gateways: true, Set()),
        KindNames.PeerAuthentication =>
            Policy(kind.Kind, @namespace, PeerAuthenticationView.From(spec).Selection, rootNamespace, gateways: false, Set()),
        KindNames.Gateway => Gateway(GatewayView.From(spec).Selection),
        _ => null,
    };

    /// <summary>The names in <paramref name="type"/> that come from an object traced by host.</summary>
    public IEnumerable<string> Held(ProxyTypeSnapshot type) =>
        !TypeUrls.Contains(type.TypeUrl) ? []
        : type.Names.Where(n => XdsNames.HostOf(type.TypeUrl, n) is { } host && Hosts.Contains(host));

    public bool Reaches(ProxySnapshot proxy) => Reach(proxy) is not null;

    /// <summary>The proxy's types that carry the object, or null when the scope does not reach the proxy: for a selected
    /// proxy, those of <see cref="TypeUrls"/> (perhaps none yet); else those holding one of its resources (at least one).</summary>
    public IReadOnlyList<ProxyTypeSnapshot>? Reach(ProxySnapshot proxy)
    {
        if (Selects is { } selects) return selects(proxy) ? [.. proxy.Types.Where(t => TypeUrls.Contains(t.TypeUrl))] : null;
        IReadOnlyList<ProxyTypeSnapshot> holding = [.. proxy.Types.Where(t => Held(t).Any())];
        return holding.Count > 0 ? holding : null;
    }

    private static FleetScope Policy(string kind, string @namespace, WorkloadSelection selection, string rootNamespace, bool gateways, IReadOnlySet<string> blamed) =>
        new(Set(Types.Listener), Set(), blamed)
        {
            Selects = proxy => (gateways || !proxy.IsGateway)
                && WorkloadPolicyScope.Applies(kind, @namespace, selection, proxy.Namespace, proxy.Labels, rootNamespace),
        };

    private static FleetScope Gateway(WorkloadSelection selection) =>
        new(Set(Types.Listener, Types.Route), Set(), Set()) { Selects = proxy => proxy.IsGateway && selection.Selects(proxy.Labels) };

    private static IEnumerable<string> ServiceEntryHosts(JsonObject spec, string @namespace) =>
        (spec["hosts"] as JsonArray ?? []).Select(h => h?.GetValue<string>()).OfType<string>().Select(h => HostNames.Qualify(h, @namespace));

    private static HashSet<string> Set(params IEnumerable<string> values) => values.ToHashSet(StringComparer.Ordinal);
}
