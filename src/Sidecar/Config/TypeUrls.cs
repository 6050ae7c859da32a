namespace Mesh.Sidecar.Config;

/// <summary>The four xDS types the sidecar consumes, in the order a change is applied (make before break).</summary>
public static class TypeUrls
{
    public const string Listener = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public const string Route = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public const string Cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public const string Endpoint = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    public static IReadOnlyList<string> All { get; } = [Cluster, Endpoint, Listener, Route];

    public static string ShortName(string type) => type switch
    {
        Listener => "LDS",
        Route => "RDS",
        Cluster => "CDS",
        Endpoint => "EDS",
        _ => type,
    };
}
