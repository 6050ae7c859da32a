using System.Net;
using Mesh.Config.Traffic;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Mesh.Sidecar.Tests.Proxy;

/// <summary>A cluster <c>c</c> as the forwarding pipeline sees it (the compiled cluster, its runtime, YARP's state),
/// and a route action to it.</summary>
internal static class Forwarding
{
    public static readonly RouteEntry Route = Config.Resources.Route("""{"name": "all", "match": {"prefix": "/"}, "route": {"cluster": "c"}}""");

    public static EndpointModel Endpoint(string address, int weight = 1, string locality = "") => new(address, 80, weight, locality, true, "reviews-v1", "default");

    public static UpstreamCluster Cluster(params EndpointModel[] endpoints) => Cluster(CircuitLimits.Unlimited, null, LbKind.RoundRobin, endpoints);

    public static UpstreamCluster Cluster(CircuitLimits limits, OutlierPolicy? outlier, LbKind lb, params EndpointModel[] endpoints)
        => new("c", lb, 1024, limits, outlier, null, UpstreamProtocol.Http1, endpoints);

    /// <summary>YARP's state for <paramref name="cluster"/>: every endpoint a destination, all available.</summary>
    public static ClusterState Yarp(UpstreamCluster cluster, HttpMessageHandler? handler = null)
    {
        var destinations = cluster.Endpoints.Select(e => new DestinationState(e.Key, new DestinationModel(new DestinationConfig { Address = $"http://{e.Key}" }))).ToList();
        return new ClusterState(cluster.Name, new ClusterModel(new ClusterConfig { ClusterId = cluster.Name }, new HttpMessageInvoker(handler ?? new Unreachable())))
        {
            DestinationsState = new ClusterDestinationsState(destinations, destinations),
        };
    }

    /// <summary>The sidecar's view of YARP's clusters, holding <paramref name="clusters"/>.</summary>
    public static YarpClusters Attached(params ClusterState[] clusters)
    {
        var yarp = new YarpClusters(Outbound.Options);
        yarp.Attach(new States(clusters.ToDictionary(c => c.ClusterId)));
        return yarp;
    }

    public static RetryPolicy Retry(string on, int retries = 2, TimeSpan? perTry = null, params int[] statusCodes)
        => new(RetryConditions.Split(on), retries, perTry, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), statusCodes.ToHashSet());

    public static ForwardAction Action(RetryPolicy? retry = null, TimeSpan? timeout = null, params MirrorPolicy[] mirrors)
        => new([new WeightedCluster("c", 100, HeaderEdits.None)], timeout, retry, [], mirrors, null, null, null, null);

    public static ForwardState State(HttpContext context, UpstreamCluster cluster, ForwardAction action, ClusterRuntime? runtime = null, ClusterState? yarp = null, ProxyModel? model = null)
        => new(context, model ?? Model(cluster), cluster, runtime ?? new ClusterRuntime(cluster.Name), yarp ?? Yarp(cluster), action, Route,
            new VirtualHostModel("reviews", ["*"], [Route], HeaderEdits.None), action.Clusters[0], null);

    public static ProxyModel Model(params UpstreamCluster[] clusters)
        => ProxyModel.Empty with { Clusters = ProxyModel.Empty.Clusters.AddRange(clusters.Select(c => KeyValuePair.Create(c.Name, c))) };

    public static OutlierDetector Outliers(HealthVerdicts? verdicts = null)
        => new(verdicts ?? new HealthVerdicts(), new SidecarMetrics(), NullLogger<OutlierDetector>.Instance);

    /// <summary>The passive health verdicts outlier detection gave YARP.</summary>
    public sealed class HealthVerdicts : IDestinationHealthUpdater
    {
        public List<(string Destination, DestinationHealth Health, TimeSpan Period)> Passive { get; } = [];

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth health, TimeSpan reactivationPeriod)
            => Passive.Add((destination.DestinationId, health, reactivationPeriod));

        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates)
        {
        }
    }

    /// <summary>YARP's forwarder, each attempt played by the next step of a script (the last one repeats); what YARP
    /// would do with the upstream's response (its status, then the transformer's verdict) is done here.</summary>
    public sealed class ScriptedForwarder(params Func<ScriptedAttempt, Task<ForwarderError>>[] script) : IHttpForwarder
    {
        public List<string> Destinations { get; } = [];

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer)
            => SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, CancellationToken.None);

        public async ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer, CancellationToken cancellationToken)
        {
            Destinations.Add(destinationPrefix);
            return await script[Math.Min(Destinations.Count, script.Length) - 1](new ScriptedAttempt(context, transformer, cancellationToken));
        }

        public static Func<ScriptedAttempt, Task<ForwarderError>> Responds(int status) => async attempt =>
        {
            using var response = new HttpResponseMessage((HttpStatusCode)status);
            attempt.Context.Response.StatusCode = status;
            await attempt.Transformer.TransformResponseAsync(attempt.Context, response, attempt.Cancellation);
            return ForwarderError.None;
        };

        public static Func<ScriptedAttempt, Task<ForwarderError>> Fails(ForwarderError error) => attempt =>
        {
            attempt.Context.Response.StatusCode = 502;
            return Task.FromResult(error);
        };

        /// <summary>An upstream that never answers: the attempt ends when it is cancelled.</summary>
        public static Func<ScriptedAttempt, Task<ForwarderError>> Hangs() => async attempt =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, attempt.Cancellation);
            }
            catch (OperationCanceledException)
            {
            }
            return ForwarderError.RequestCanceled;
        };
    }

    public sealed record ScriptedAttempt(HttpContext Context, HttpTransformer Transformer, CancellationToken Cancellation);

    /// <summary>What an upstream was sent, as it arrived.</summary>
    public sealed class Recorder : HttpMessageHandler
    {
        public List<(string Method, string Uri, string? Host, Version Version, string Headers)> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request.Method.Method, request.RequestUri!.OriginalString, request.Headers.Host, request.Version, request.Headers.ToString()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private sealed class States(Dictionary<string, ClusterState> clusters) : Yarp.ReverseProxy.IProxyStateLookup
    {
        public bool TryGetCluster(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClusterState? cluster) => clusters.TryGetValue(id, out cluster);

        public IEnumerable<ClusterState> GetClusters() => clusters.Values;

        public bool TryGetRoute(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RouteModel? route)
        {
            route = null;
            return false;
        }

        public IEnumerable<RouteModel> GetRoutes() => [];
    }

    private sealed class Unreachable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => throw new HttpRequestException("no upstream in unit tests");
    }
}
