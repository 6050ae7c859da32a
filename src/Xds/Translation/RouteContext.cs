using Mesh.Config.Validation.Rules;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.VirtualServices;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>What translating one VirtualService's routes for one listener port needs.</summary>
internal sealed record RouteContext(ServiceModel Model, int Port, string Namespace, DestinationRuleView? DestinationRule)
{
    /// <summary>The cluster of an Istio <c>Destination</c>: its host qualified in the VirtualService's namespace, its
    /// port or else the listener's.</summary>
    public string ClusterOf(Destination destination)
    {
        var host = HostNames.Qualify(destination.Host.Length > 0 ? destination.Host : Model.Host, Namespace);
        return XdsNames.Cluster(destination.Port ?? Port, destination.Subset ?? "", host);
    }

    /// <summary>The destination's consistentHash, known only when it is this model's own host: the models of other
    /// hosts (and their DestinationRules) are not at hand here.</summary>
    public ConsistentHash? ConsistentHashOf(string cluster)
    {
        XdsNames.TryParseCluster(cluster, out var port, out var subset, out var host);
        return host == Model.Host ? ClusterTranslator.ConsistentHash(DestinationRule, port, subset) : null;
    }
}
