using Mesh.Sidecar.Config;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Mesh.Sidecar.Proxy;

/// <summary>Envoy clusters and endpoints as YARP clusters and destinations, through YARP's
/// <see cref="IProxyConfigProvider"/>: YARP owns each cluster's HTTP client (connection limits, HTTP/2), its active
/// health checks, and each destination's health (outlier ejection is a passive health verdict), swapped atomically
/// by YARP on every change. Routing is not YARP's: Envoy's first-match routes and weighted clusters run in
/// <see cref="OutboundHandler"/>, and resilience in <see cref="ForwardPipeline"/>, which forwards with YARP's
/// <see cref="IHttpForwarder"/>.</summary>
public sealed class YarpClusters(Hosting.SidecarOptions options) : IProxyConfigProvider, IClusterSync
{
    public const string OutlierPolicy = "mesh.outlier_detection";
    public const string AvailablePolicy = "HealthyOrPanic";
    private static readonly TimeSpan AppliedWithin = TimeSpan.FromSeconds(5);
    private volatile Snapshot _current = new([], []);

    /// <summary>Each cluster's config as last given to YARP, with the compiled cluster it was made from. Only
    /// <see cref="Apply"/> (one at a time) touches it.</summary>
    private readonly Dictionary<string, (UpstreamCluster Source, ClusterConfig Config)> _built = new(StringComparer.Ordinal);
    private IProxyStateLookup? _state;

    public IProxyConfig GetConfig() => _current;

    /// <summary>Set once the host is built (YARP's state lookup depends on this provider).</summary>
    public void Attach(IProxyStateLookup state) => _state = state;

    public ClusterState? Find(string cluster) => _state is not null && _state.TryGetCluster(cluster, out var state) ? state : null;

    /// <summary>Gives YARP the model's clusters. A compiled cluster that is the same object as last time keeps its
    /// <see cref="ClusterConfig"/> instance, and one whose config comes out equal keeps the old one, so YARP sees no
    /// change there and keeps the cluster's HTTP client (its connections); when nothing changed YARP is not told.</summary>
    public async Task Apply(ProxyModel model)
    {
        var changed = new List<ClusterConfig>();
        foreach (var (name, cluster) in model.Clusters)
        {
            var known = _built.TryGetValue(name, out var held);
            if (known && ReferenceEquals(held.Source, cluster)) continue;
            var config = Cluster(cluster, options.Secured);
            if (known && held.Config.Equals(config)) config = held.Config;
            else changed.Add(config);
            _built[name] = (cluster, config);
        }
        var removed = _built.Count > model.Clusters.Count;
        if (removed)
        {
            foreach (var name in _built.Keys.Where(n => !model.Clusters.ContainsKey(n)).ToList()) _built.Remove(name);
        }
        if (changed.Count == 0 && !removed) return;
        var previous = _current;
        _current = new Snapshot(_built.Values.Select(b => b.Config).ToList(), [Placeholder]);
        previous.Signal();
        // YARP applies a change from the change token's callback; wait until it has, so that the model that refers
        // to these clusters is never served before them.
        var deadline = DateTime.UtcNow + AppliedWithin;
        while (_state is not null && DateTime.UtcNow < deadline && !Applied(changed))
        {
            await Task.Delay(5);
        }
    }

    private bool Applied(IReadOnlyList<ClusterConfig> clusters)
    {
        foreach (var cluster in clusters)
        {
            if (!_state!.TryGetCluster(cluster.ClusterId, out var state) || !ReferenceEquals(state.Model.Config, cluster) && !state.Model.Config.Equals(cluster)) return false;
        }
        return true;
    }

    /// <param name="hasIdentity">Whether this sidecar has a workload identity (auto mTLS needs one).</param>
    private static ClusterConfig Cluster(UpstreamCluster cluster, bool hasIdentity)
    {
        // EDS may mark an endpoint UNHEALTHY, DRAINING or TIMEOUT: Envoy sends it nothing, so it is no destination.
        var destinations = cluster.Endpoints.Where(e => e.Healthy).DistinctBy(e => e.Key).ToDictionary(
            e => e.Key,
            e => new DestinationConfig { Address = $"{(cluster.Tls.UsesTls(e, hasIdentity) ? "https" : "http")}://{e.Key}" },
            StringComparer.Ordinal);
        var metadata = new Dictionary<string, string> { [Security.MeshHttpClientFactory.TlsMetadata] = Security.UpstreamTlsText.Encode(cluster.Tls) };
        ActiveHealthCheckConfig? active = null;
        if (cluster.HealthCheck is { } check)
        {
            active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = check.Interval,
                Timeout = check.Timeout,
                Path = check.Path,
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
            };
            metadata["ConsecutiveFailuresHealthPolicy.Threshold"] = check.UnhealthyThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new ClusterConfig
        {
            ClusterId = cluster.Name,
            Destinations = destinations,
            Metadata = metadata,
            HealthCheck = new HealthCheckConfig
            {
                Active = active,
                Passive = cluster.Outlier is null ? null : new PassiveHealthCheckConfig { Enabled = true, Policy = OutlierPolicy },
                AvailableDestinationsPolicy = AvailablePolicy,
            },
            HttpClient = new HttpClientConfig
            {
                MaxConnectionsPerServer = cluster.Limits.MaxConnections,
                EnableMultipleHttp2Connections = true,
            },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(5) },
        };
    }

    /// <summary>YARP builds its state only when it has a route; this one matches nothing Mesh serves.</summary>
    private static readonly RouteConfig Placeholder = new()
    {
        RouteId = "mesh.placeholder",
        ClusterId = null,
        Match = new RouteMatch { Hosts = ["placeholder.mesh.invalid"], Path = "/{**rest}" },
    };

    private sealed class Snapshot(IReadOnlyList<ClusterConfig> clusters, IReadOnlyList<RouteConfig> routes) : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public IReadOnlyList<RouteConfig> Routes => routes;
        public IReadOnlyList<ClusterConfig> Clusters => clusters;
        public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

        public void Signal() => _changed.Cancel();
    }
}

/// <summary>Outlier ejection is decided by <see cref="OutlierDetector"/>; YARP only needs a passive policy of this name
/// to honour the verdicts.</summary>
public sealed class OutlierDetectionPolicy : IPassiveHealthCheckPolicy
{
    public string Name => YarpClusters.OutlierPolicy;

    public void RequestProxied(Microsoft.AspNetCore.Http.HttpContext context, ClusterState cluster, DestinationState destination)
    {
    }
}
