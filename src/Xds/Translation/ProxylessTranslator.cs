using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation;

/// <summary>Service models → the Envoy resources proxyless gRPC clients (<c>xds:///HOST:PORT</c>) consume, as
/// Istio would produce them for the same YAML. Pure functions: model in, message out.</summary>
public static class ProxylessTranslator
{
    /// <summary>Listener <c>HOST:PORT</c>: an <c>api_listener</c> holding an HttpConnectionManager with RDS over ADS
    /// (route config <c>HOST:PORT</c>) and the fault filter, then the router filter.</summary>
    public static Listener Listener(string host, int port, HttpListenerSettings? settings = null) => ListenerTranslator.Translate(host, port, settings ?? HttpListenerSettings.Default);

    /// <summary>Route configuration <c>HOST:PORT</c> from the VirtualServices of <paramref name="model"/>; without
    /// one, a single default route to <c>outbound|PORT||HOST</c>.</summary>
    public static RouteConfiguration RouteConfiguration(ServiceModel model, int port) => RouteTranslator.Translate(model, port);

    /// <summary>Cluster <c>outbound|PORT|SUBSET|HOST</c> (EDS over ADS) with the DestinationRule's traffic policy,
    /// or null when the model has no such port or subset.</summary>
    public static Cluster? Cluster(ServiceModel model, int port, string subset) => ClusterTranslator.Translate(model, port, subset);

    /// <summary>The endpoints of <c>outbound|PORT|SUBSET|HOST</c> by locality; never null (an unknown port or
    /// subset has no endpoints).</summary>
    public static ClusterLoadAssignment LoadAssignment(ServiceModel model, int port, string subset, Func<EndpointAddress, bool>? plaintextOnly = null)
        => LoadAssignmentTranslator.Translate(model, port, subset, plaintextOnly);
}
