using Mesh.Config.Views.DestinationRules;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>Cluster <c>outbound|PORT|SUBSET|HOST</c>: EDS over ADS, with the DestinationRule's traffic policy.</summary>
internal static class ClusterTranslator
{
    /// <summary>gRPC clients NACK a larger ring (A42).</summary>
    private const ulong MaxRingSize = 8_388_608;

    public static Cluster? Translate(ServiceModel model, int port, string subset)
    {
        if (model.Ports.FirstOrDefault(p => p.Port.Number == port) is not { } served) return null;
        if (ClusterPolicy.Resolve(ClusterPolicy.Rule(model), port, subset) is not { } policy) return null;
        var name = XdsNames.Cluster(port, subset, model.Host);
        var cluster = new Cluster
        {
            Name = name,
            Type = Cluster.Types.DiscoveryType.Eds,
            EdsClusterConfig = new Cluster.Types.EdsClusterConfig
            {
                EdsConfig = ProtoValues.Ads(),
                ServiceName = name,
            },
        };
        ApplyLoadBalancer(cluster, policy.LoadBalancer);
        cluster.CircuitBreakers = ConnectionPoolTranslator.Translate(policy.ConnectionPool);
        OutlierDetectionTranslator.Apply(cluster, policy.OutlierDetection);
        UpstreamTlsTranslator.Apply(cluster, policy.Tls);
        UpstreamProtocolTranslator.Apply(cluster, served.Port.Protocol);
        return cluster;
    }

    /// <summary>The consistentHash of (port, subset) of the model's own host, for the routes' hash policy.</summary>
    public static ConsistentHash? ConsistentHash(DestinationRuleView? rule, int port, string subset)
        => ClusterPolicy.Resolve(rule, port, subset)?.LoadBalancer?.ConsistentHash;

    private static void ApplyLoadBalancer(Cluster cluster, LoadBalancerSettings? loadBalancer)
    {
        // grpc-js 1.14 and C-core 1.51 accept only ROUND_ROBIN and RING_HASH in lb_policy (A27, A42) and NACK
        // the cluster otherwise (LEAST_REQUEST came later, with A48, and neither client ships it), so LEAST_REQUEST,
        // LEAST_CONN, RANDOM and PASSTHROUGH (no meaning without a proxy) all fall back to ROUND_ROBIN.
        cluster.LbPolicy = Cluster.Types.LbPolicy.RoundRobin;
        // Mesh's sidecar reads the policy Istio would give Envoy from the cluster's metadata; gRPC ignores it.
        // Istio's default is LEAST_REQUEST.
        var simple = loadBalancer?.Simple switch
        {
            "ROUND_ROBIN" => "ROUND_ROBIN",
            "RANDOM" => "RANDOM",
            _ => "LEAST_REQUEST",
        };
        if (loadBalancer?.ConsistentHash is not null) simple = "RING_HASH";
        cluster.Metadata = new Metadata();
        cluster.Metadata.FilterMetadata[SidecarMetadata.Namespace] = new Google.Protobuf.WellKnownTypes.Struct
        {
            Fields = { [SidecarMetadata.LbPolicy] = Google.Protobuf.WellKnownTypes.Value.ForString(simple) },
        };
        if (loadBalancer?.ConsistentHash is not { } hash) return;
        // Never MAGLEV, which both clients reject: maglev becomes a ring of the default size.
        cluster.LbPolicy = Cluster.Types.LbPolicy.RingHash;
        var minimum = hash.MinimumRingSize;
        var config = new Cluster.Types.RingHashLbConfig { HashFunction = Cluster.Types.RingHashLbConfig.Types.HashFunction.XxHash };
        if (minimum is > 0) config.MinimumRingSize = Math.Min((ulong)minimum.Value, MaxRingSize);
        cluster.RingHashLbConfig = config;
    }
}
