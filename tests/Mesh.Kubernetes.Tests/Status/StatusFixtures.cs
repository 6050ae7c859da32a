using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Kubernetes.Status;
using Mesh.Xds.Resources;

namespace Mesh.Kubernetes.Tests.Status;

/// <summary>Objects and proxies the status tests share.</summary>
internal static class StatusFixtures
{
    public const string ReviewsRoute = "reviews.bookinfo.svc.cluster.local:9080";
    public const string ReviewsV1 = "outbound|9080|v1|reviews.bookinfo.svc.cluster.local";
    public static readonly DateTimeOffset Changed = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    public static FleetScope ReviewsVirtualService() => FleetScope.Of(ResourceKinds.VirtualService, "bookinfo", "reviews",
        JsonNode.Parse("""{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}""")!.AsObject())!;

    public static FleetScope ReviewsDestinationRule() => FleetScope.Of(ResourceKinds.DestinationRule, "bookinfo", "reviews",
        JsonNode.Parse("""{"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}""")!.AsObject())!;

    public static FleetScope ReviewsServiceEntry() => FleetScope.Of(ResourceKinds.ServiceEntry, "bookinfo", "reviews",
        JsonNode.Parse("""{"hosts": ["reviews"], "ports": [{"number": 9080, "name": "http", "protocol": "HTTP"}], "resolution": "STATIC"}""")!.AsObject())!;

    public static ProxyTypeSnapshot Endpoints(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        new(TypeUrls.Endpoint, names.Length > 0 ? names : [ReviewsV1], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);

    public static ProxySnapshot Proxy(string node, params ProxyTypeSnapshot[] types) => new(node, types);

    public static ProxyTypeSnapshot Routes(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        new(TypeUrls.Route, names.Length > 0 ? names : [ReviewsRoute], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);

    public static ProxyTypeSnapshot Clusters(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        new(TypeUrls.Cluster, names.Length > 0 ? names : [ReviewsV1], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);
}
