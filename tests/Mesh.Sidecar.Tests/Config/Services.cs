using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Xds;

namespace Mesh.Sidecar.Tests.Config;

/// <summary>Services of a mesh as the control plane describes them to a sidecar that calls them: for service
/// <c>i</c> a listener and a route table <c>svc-i:80</c>, and a cluster <c>outbound|80||svc-i</c> with its EDS
/// assignment. Each call builds new messages, as a decoded response would.</summary>
internal static class Services
{
    public static string Host(int i) => $"svc-{i}:80";

    public static string ClusterName(int i) => $"outbound|80||svc-{i}";

    public static Listener Listener(int i) => Proxy.Outbound.Listener(Host(i), Host(i));

    /// <summary>Two routes: <c>/a</c> with <paramref name="timeout"/>, and everything else with retries.</summary>
    public static RouteConfiguration Routes(int i, string timeout = "1s", int retries = 2) => Resources.Parse<RouteConfiguration>($$$"""
        {"name": "{{{Host(i)}}}", "virtual_hosts": [{"name": "{{{Host(i)}}}", "domains": ["svc-{{{i}}}", "svc-{{{i}}}:80"], "routes": [
          {"name": "a", "match": {"prefix": "/a"}, "route": {"cluster": "{{{ClusterName(i)}}}", "timeout": "{{{timeout}}}"}},
          {"name": "rest", "match": {"prefix": "/"}, "route": {"cluster": "{{{ClusterName(i)}}}", "retry_policy": {"retry_on": "5xx", "num_retries": {{{retries}}} } } }]}]}
        """);

    public static Cluster Cluster(int i, uint? maxConnections = null)
    {
        var cluster = new Cluster
        {
            Name = ClusterName(i),
            Type = Envoy.Config.Cluster.V3.Cluster.Types.DiscoveryType.Eds,
            EdsClusterConfig = new Cluster.Types.EdsClusterConfig { ServiceName = ClusterName(i) },
            ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        };
        if (maxConnections is { } limit)
        {
            cluster.CircuitBreakers = new CircuitBreakers { Thresholds = { new CircuitBreakers.Types.Thresholds { MaxConnections = limit } } };
        }
        return cluster;
    }

    public static ClusterLoadAssignment Endpoints(int i, params string[] addresses) => new()
    {
        ClusterName = ClusterName(i),
        Endpoints =
        {
            new LocalityLbEndpoints
            {
                LbEndpoints =
                {
                    (addresses.Length == 0 ? ["10.0.0.1"] : addresses).Select(address => new LbEndpoint
                    {
                        Endpoint = new Envoy.Config.Endpoint.V3.Endpoint
                        {
                            Address = new Envoy.Config.Core.V3.Address { SocketAddress = new Envoy.Config.Core.V3.SocketAddress { Address = address, PortValue = 8080 } },
                        },
                    }),
                },
            },
        },
    };

    /// <summary>Services 0..<paramref name="count"/>-1, each type in one response, in the order a control plane sends
    /// them.</summary>
    public static async Task<ConfigStore> Store(int count)
    {
        var store = await Proxy.Outbound.Store();
        var all = Enumerable.Range(0, count).ToList();
        Assert.Null(await Push(store, "1", [.. all.Select(i => Cluster(i))]));
        Assert.Null(await Push(store, "1", [.. all.Select(i => Endpoints(i))]));
        Assert.Null(await Push(store, "1", [.. all.Select(i => Listener(i))]));
        Assert.Null(await Push(store, "1", [.. all.Select(i => Routes(i))]));
        return store;
    }

    /// <summary>One response holding <paramref name="messages"/> (all of one type); null when it was accepted, else the
    /// NACK's text.</summary>
    public static Task<string?> Push(ConfigStore store, string version, params IMessage[] messages)
    {
        var resources = messages.Select(message =>
        {
            var any = Any.Pack(message);
            var (resource, error) = ResourceDecoder.Decode(any.TypeUrl, any, version: version);
            Assert.Null(error);
            return resource!;
        }).ToList();
        return store.Apply(Any.Pack(messages[0]).TypeUrl, resources, [], version);
    }
}
