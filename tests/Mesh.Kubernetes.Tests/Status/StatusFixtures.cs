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
    public const string Root = Mesh.Config.Views.Security.WorkloadPolicyScope.DefaultRootNamespace;
    public static readonly DateTimeOffset Changed = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    public static FleetScope ReviewsVirtualService() => Scope(ResourceKinds.VirtualService, "bookinfo", "reviews",
        """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}""")!;

    public static FleetScope ReviewsDestinationRule() => Scope(ResourceKinds.DestinationRule, "bookinfo", "reviews",
        """{"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}""")!;

    public static FleetScope ReviewsServiceEntry() => Scope(ResourceKinds.ServiceEntry, "bookinfo", "reviews",
        """{"hosts": ["reviews"], "ports": [{"number": 9080, "name": "http", "protocol": "HTTP"}], "resolution": "STATIC"}""")!;

    public static ProxyTypeSnapshot Endpoints(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        Snapshot(TypeUrls.Endpoint, ReviewsV1, sentAt, acked, nack, names);

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
        Snapshot(TypeUrls.Listener, "virtualInbound|bookinfo|reviews-v1", sentAt, acked, nack, names);

    private static ProxySnapshot Workload(string type, string pod, string @namespace, string labels, ProxyTypeSnapshot[] types) =>
        new($"{type}~10.0.0.1~{pod}.{@namespace}~{@namespace}.svc.cluster.local", types)
        {
            Namespace = @namespace,
            Labels = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]),
        };

    public static ProxyTypeSnapshot Routes(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        Snapshot(TypeUrls.Route, ReviewsRoute, sentAt, acked, nack, names);

    public static ProxyTypeSnapshot Clusters(DateTimeOffset sentAt, bool acked = true, string nack = "", params string[] names) =>
        Snapshot(TypeUrls.Cluster, ReviewsV1, sentAt, acked, nack, names);

    /// <summary>One type's last response: <paramref name="names"/>, else <paramref name="fallback"/>; a NACK 20 ms after it was sent.</summary>
    private static ProxyTypeSnapshot Snapshot(string typeUrl, string fallback, DateTimeOffset sentAt, bool acked, string nack, string[] names) =>
        new(typeUrl, names.Length > 0 ? names : [fallback], sentAt, acked, nack, nack.Length > 0 ? sentAt.AddMilliseconds(20) : null);
}
