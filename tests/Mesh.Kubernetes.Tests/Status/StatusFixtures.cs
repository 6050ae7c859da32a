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
    public const string Root = "istio-system";
    public static readonly DateTimeOffset Changed = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    public static FleetScope ReviewsVirtualService() => FleetScope.Of(ResourceKinds.VirtualService, "bookinfo", "reviews",
        JsonNode.Parse("""{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}""")!.AsObject(), Root)!;

    public static FleetScope ReviewsDestinationRule() => FleetScope.Of(ResourceKinds.DestinationRule, "bookinfo", "reviews",
        JsonNode.Parse("""{"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}""")!.AsObject(), Root)!;

    public static FleetScope ReviewsServiceEntry() => FleetScope.Of(ResourceKinds.ServiceEntry, "bookinfo", "reviews",
        JsonNode.Parse("""{"hosts": ["reviews"], "ports": [{"number": 9080, "name": "http", "protocol": "HTTP"}], "resolution": "STATIC"}""")!.AsObject(), Root)!;

    public static ProxyTypeSnapshot Endpoints(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        new(TypeUrls.Endpoint, names.Length > 0 ? names : [ReviewsV1], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);

    public static ProxySnapshot Proxy(string node, params ProxyTypeSnapshot[] types) => new(node, types);

    /// <summary>The scope of an object of <paramref name="kind"/> read from its spec's JSON.</summary>
    public static FleetScope? Scope(ResourceKind kind, string @namespace, string name, string spec) =>
        FleetScope.Of(kind, @namespace, name, JsonNode.Parse(spec)!.AsObject(), Root);

    /// <summary>A connected sidecar of the workload <c>POD.NS</c> with the labels <c>k=v,...</c> (as its node metadata says).</summary>
    public static ProxySnapshot Sidecar(string pod, string @namespace, string labels, params ProxyTypeSnapshot[] types) =>
        Workload("sidecar", pod, @namespace, labels, types);

    /// <summary>A connected gateway (node type <c>router</c>) of the workload <c>POD.NS</c>.</summary>
    public static ProxySnapshot Gateway(string pod, string @namespace, string labels, params ProxyTypeSnapshot[] types) =>
        Workload("router", pod, @namespace, labels, types);

    public static ProxyTypeSnapshot Listeners(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        new(TypeUrls.Listener, names.Length > 0 ? names : ["virtualInbound|bookinfo|reviews-v1"], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);

    private static ProxySnapshot Workload(string type, string pod, string @namespace, string labels, ProxyTypeSnapshot[] types) =>
        new($"{type}~10.0.0.1~{pod}.{@namespace}~{@namespace}.svc.cluster.local", types)
        {
            Namespace = @namespace,
            Labels = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]),
        };

    public static ProxyTypeSnapshot Routes(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        new(TypeUrls.Route, names.Length > 0 ? names : [ReviewsRoute], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);

    public static ProxyTypeSnapshot Clusters(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        new(TypeUrls.Cluster, names.Length > 0 ? names : [ReviewsV1], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);
}
