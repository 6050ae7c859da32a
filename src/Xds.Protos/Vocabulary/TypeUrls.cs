namespace Mesh.Xds.Resources;

/// <summary>The xDS v3 resource type URLs Mesh serves, in make-before-break push order.</summary>
public static class TypeUrls
{
    public const string Cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public const string Endpoint = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string Listener = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public const string Route = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public const string Secret = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    /// <summary>The <c>Resource</c> wrapper a server may put around any resource (name, version, TTL).</summary>
    public const string Resource = "type.googleapis.com/envoy.service.discovery.v3.Resource";

    /// <summary>SDS, then CDS, EDS, LDS and RDS: a resource is sent before anything that refers to it.</summary>
    public static readonly IReadOnlyList<string> PushOrder = [Secret, Cluster, Endpoint, Listener, Route];

    /// <summary>Short names for logs, metrics and <c>meshctl proxy-status</c>.</summary>
    public static string ShortName(string typeUrl) => typeUrl switch
    {
        Cluster => "CDS",
        Endpoint => "EDS",
        Listener => "LDS",
        Route => "RDS",
        Secret => "SDS",
        _ => typeUrl,
    };
}
