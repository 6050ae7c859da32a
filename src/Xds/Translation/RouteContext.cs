using Mesh.Config.Validation.Rules;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.VirtualServices;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>What translating one VirtualService's routes for one listener port needs: the host a destination without
/// one goes to, the VirtualService's namespace, and where the routes are served: the mesh (sidecars and gRPC
/// clients, with the service's <see cref="Model"/>), or one gateway (<see cref="Gateway"/>, <c>namespace/name</c>).</summary>
internal sealed record RouteContext(string Host, int Port, string Namespace, ServiceModel? Model, DestinationRuleView? DestinationRule)
{
    /// <summary>The gateway the routes are served by, as <c>namespace/name</c>; null for the mesh.</summary>
    public string? Gateway { get; init; }

    /// <summary>The key of the VirtualService whose routes these are: unnamed routes are named after it (<see cref="RouteNames"/>).</summary>
    public string VirtualService { get; init; } = "";

    /// <summary>On a gateway, the port of each destination service that has only one (Istio's default for a
    /// destination without a port); a sidecar's listener port is the service's own.</summary>
    public IReadOnlyDictionary<string, int> ServicePorts { get; init; } = new Dictionary<string, int>();

    public static RouteContext Mesh(ServiceModel model, int port, ConfigSpec virtualService) =>
        new(model.Host, port, virtualService.Namespace, model, ClusterPolicy.Rule(model)) { VirtualService = virtualService.Key };

    /// <summary>Whether a match limited to <paramref name="gateways"/> (null: not limited) applies where the routes are served.</summary>
    public bool Binds(IReadOnlyList<string>? gateways) => gateways is null
        || gateways.Any(g => VirtualServiceView.GatewayRef(g, Namespace) == (Gateway ?? VirtualServiceView.MeshGateway));

    /// <summary>The cluster of an Istio <c>Destination</c>: its host qualified in the VirtualService's namespace, its
    /// port or else the service's only port, or else the listener's.</summary>
    public string ClusterOf(Destination destination)
    {
        var host = HostNames.Qualify(destination.Host.Length > 0 ? destination.Host : Host, Namespace);
        var port = destination.Port ?? (ServicePorts.TryGetValue(host, out var only) ? only : Port);
        return XdsNames.Cluster(port, destination.Subset ?? "", host);
    }

    /// <summary>The destination's consistentHash, known only when it is this model's own host: the models of other
    /// hosts (and their DestinationRules) are not at hand here.</summary>
    public ConsistentHash? ConsistentHashOf(string cluster)
    {
        XdsNames.TryParseCluster(cluster, out var port, out var subset, out var host);
        return Model is not null && host == Model.Host ? ClusterTranslator.ConsistentHash(DestinationRule, port, subset) : null;
    }
}
