using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mesh.Xds.Resources;

/// <summary>Envoy resources as JSON, with the types their <c>Any</c> fields hold (filters, fault configs) known.</summary>
public static class XdsJson
{
    private static readonly TypeRegistry Registry = TypeRegistry.FromFiles(
        Envoy.Config.Listener.V3.ListenerReflection.Descriptor,
        Envoy.Config.Route.V3.RouteReflection.Descriptor,
        Envoy.Config.Route.V3.RouteComponentsReflection.Descriptor,
        Envoy.Config.Cluster.V3.ClusterReflection.Descriptor,
        Envoy.Config.Endpoint.V3.EndpointReflection.Descriptor,
        Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManagerReflection.Descriptor,
        Envoy.Extensions.Filters.Http.Fault.V3.FaultReflection.Descriptor,
        Envoy.Extensions.Filters.Http.Router.V3.RouterReflection.Descriptor,
        Envoy.Extensions.Filters.Http.Cors.V3.CorsReflection.Descriptor,
        Envoy.Extensions.Filters.Http.Rbac.V3.RbacReflection.Descriptor,
        Envoy.Extensions.Filters.Http.JwtAuthn.V3.ConfigReflection.Descriptor,
        Envoy.Extensions.TransportSockets.Tls.V3.TlsReflection.Descriptor,
        Envoy.Extensions.TransportSockets.Tls.V3.SecretReflection.Descriptor,
        Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptionsReflection.Descriptor,
        Envoy.Config.Route.V3.RouteReflection.Descriptor);

    public static JsonFormatter Formatter { get; } = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry).WithIndentation());
}
