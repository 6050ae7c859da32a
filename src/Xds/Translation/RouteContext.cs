using System.Text.Json.Nodes;
using Mesh.Config.Validation.Rules;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>What translating one VirtualService's routes for one listener port needs.</summary>
internal sealed record RouteContext(ServiceModel Model, int Port, string Namespace, JsonObject? DestinationRule)
{
    /// <summary>The cluster of an Istio <c>Destination</c>: its host qualified in the VirtualService's namespace, its
    /// port or else the listener's.</summary>
    public string ClusterOf(JsonObject destination)
    {
        var host = HostNames.Qualify(destination.Str("host") ?? Model.Host, Namespace);
        var port = (int?)destination.Obj("port").Long("number") ?? Port;
        return XdsNames.Cluster(port, destination.Str("subset") ?? "", host);
    }

    /// <summary>The destination's consistentHash, known only when it is this model's own host: the models of other
    /// hosts (and their DestinationRules) are not at hand here.</summary>
    public JsonObject? ConsistentHashOf(string cluster)
    {
        XdsNames.TryParseCluster(cluster, out var port, out var subset, out var host);
        return host == Model.Host ? ClusterTranslator.ConsistentHash(DestinationRule, port, subset) : null;
    }
}
