using System.Net;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Proxy;

/// <summary>The service a captured connection's original destination is an endpoint of (a pod IP called directly),
/// found in the EDS assignments this sidecar holds: so such a call keeps the mesh's routing, mTLS and telemetry, where
/// a pass-through would send plain text to a pod that may require mTLS. Only services this sidecar has already
/// discovered are known; an address of any other passes through.</summary>
public static class EndpointOwner
{
    /// <summary>The owner's listener (<c>HOST:PORT</c>, service port) and the endpoint's key (<c>ADDRESS:PORT</c>).</summary>
    public sealed record Owner(string Listener, string Endpoint);

    /// <summary>The owner, or null. When the address backs several services the whole-service cluster comes before a
    /// subset's, then the first by name, so the answer is stable.</summary>
    public static Owner? Find(ProxyModel model, IPEndPoint destination)
    {
        var owners = new List<(bool Subset, string Cluster, Owner Owner)>();
        foreach (var (name, cluster) in model.Clusters)
        {
            if (!XdsNames.TryParseCluster(name, out var port, out var subset, out var host)) continue;
            var listener = XdsNames.Listener(host, port);
            if (!model.Listeners.ContainsKey(listener)) continue;
            var endpoint = cluster.Endpoints.FirstOrDefault(e => e.Port == destination.Port && IPAddress.TryParse(e.Address, out var address) && address.Equals(destination.Address));
            if (endpoint is not null) owners.Add((subset.Length > 0, name, new Owner(listener, endpoint.Key)));
        }
        return owners.OrderBy(o => o.Subset).ThenBy(o => o.Cluster, StringComparer.Ordinal).Select(o => o.Owner).FirstOrDefault();
    }
}
