using Google.Protobuf;
using Mesh.Grains.Security;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Cache;

/// <summary>Which translator makes which resource, from the inputs it depends on; each resource is serialized once
/// here. Proxyless gRPC clients and Mesh's sidecar get the same resources. Pure: inputs in, resource out.</summary>
internal static class ResourceTranslation
{
    /// <summary>A resource of one service: listener and route configuration <c>HOST:PORT</c>, cluster and endpoints
    /// <c>outbound|PORT|SUBSET|HOST</c>; null for a port, subset or name the model does not make.</summary>
    /// <param name="peers">Only endpoints read it: a workload whose PeerAuthentication is DISABLE is not told to take mTLS.</param>
    public static XdsResource? OfService(string typeUrl, string name, ServiceModel model, PeerAuthentications peers, HttpListenerSettings listenerSettings)
    {
        IMessage? message = null;
        switch (typeUrl)
        {
            case TypeUrls.Listener when XdsNames.TryParseListener(name, out var host, out var port) && Serves(model, port):
                var cors = CorsTranslator.AnyPolicy(model.VirtualServices.Select(SpecViews.VirtualService).Where(v => v.AppliesToMesh));
                message = ListenerTranslator.Translate(host, port, listenerSettings, cors, model.AliasOf);
                break;
            // A VIP's listener routes with its host's configuration: it has none of its own.
            case TypeUrls.Route when XdsNames.TryParseListener(name, out _, out var port) && Serves(model, port) && model.AliasOf is null:
                message = RouteTranslator.Translate(model, port);
                break;
            case TypeUrls.Cluster when XdsNames.TryParseCluster(name, out var port, out var subset, out _):
                message = ClusterTranslator.Translate(model, port, subset);
                break;
            case TypeUrls.Endpoint when XdsNames.TryParseCluster(name, out var port, out var subset, out _):
                message = LoadAssignmentTranslator.Translate(model, port, subset, peers.PlaintextOnly);
                break;
        }
        return message is null ? null : XdsResource.Of(typeUrl, name, message);
    }

    /// <summary>The secret <c>ROOTCA</c>: the mesh's trust bundle, which proxies verify their peers with.</summary>
    public static XdsResource RootCa(TrustBundle bundle) =>
        XdsResource.Of(TypeUrls.Secret, SecretNames.RootCa, SecretTranslator.RootCaSecret(bundle));

    /// <summary>A listener exists for a port a ServiceEntry declares, or for any port of a host a VirtualService bound
    /// to the mesh names (one bound only to gateways is none of a sidecar's business).</summary>
    private static bool Serves(ServiceModel model, int port) =>
        model.Ports.Any(p => p.Port.Number == port) || model.VirtualServices.Any(v => SpecViews.VirtualService(v).AppliesToMesh);
}
