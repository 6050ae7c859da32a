using System.Net;
using Mesh.Sidecar.Config;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Mesh.Sidecar.Proxy;

/// <summary>One request's way through a cluster: which attempt this is, the endpoints tried, whether a retry is
/// allowed (retry_on, attempts left, the cluster's max_retries), and the last upstream status.</summary>
public sealed class ForwardState(
    HttpContext context, ProxyModel model, UpstreamCluster cluster, ClusterRuntime runtime, ClusterState yarpCluster,
    ForwardAction action, RouteEntry route, VirtualHostModel host, WeightedCluster picked, ulong? hash)
{
    private bool _holdsRetry;

    public HttpContext Context => context;
    public ProxyModel Model => model;
    public UpstreamCluster Cluster => cluster;
    public ClusterRuntime Runtime => runtime;
    public ClusterState YarpCluster => yarpCluster;
    public ForwardAction Action => action;
    public RouteEntry Route => route;
    public VirtualHostModel Host => host;
    public WeightedCluster Picked => picked;
    public ulong? Hash => hash;
    public int Attempt { get; set; }
    public HashSet<string> Tried { get; } = new(StringComparer.Ordinal);
    public RetryPolicy? Retry => action.Retry;
    /// <summary>A request with a body is sent once: Mesh does not keep bodies for a replay (yet).</summary>
    public bool HasBody => context.Request.ContentLength is > 0
        || (context.Request.ContentLength is null && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    /// <summary>Whether another attempt may follow this one.</summary>
    private bool AttemptsLeft => Retry is { } retry && Attempt <= retry.NumRetries && !HasBody && !context.RequestAborted.IsCancellationRequested;

    /// <summary>After a response with <paramref name="status"/> (and gRPC status, when the response carries one in its
    /// headers): retry it rather than pass it on?</summary>
    public bool ShouldRetry(int status, int? grpcStatus)
        => AttemptsLeft && Retry is { } retry && RetryOn.Response(retry, status, grpcStatus) && Reserve();

    /// <summary>After a connection failure or reset before any response.</summary>
    public bool ShouldRetryError(ForwarderError error)
        => AttemptsLeft && Retry is { } retry && RetryOn.Failure(retry, error) && Reserve();

    /// <summary>After a per-try timeout.</summary>
    public bool ShouldRetryTimeout() => AttemptsLeft && Retry is not null && Reserve();

    public void ReleaseRetry()
    {
        if (!_holdsRetry) return;
        _holdsRetry = false;
        runtime.EndRetry();
    }

    private bool Reserve()
    {
        ReleaseRetry();
        if (!runtime.TryStartRetry(cluster.Limits)) return false;
        _holdsRetry = true;
        return true;
    }

    /// <summary>The application's protocol when the cluster names it (HTTP/1.1 for an HTTP port, HTTP/2 for HTTP2 and
    /// gRPC), else the caller's, as Istio's sidecar does.</summary>
    public ForwarderRequestConfig RequestConfig => Http2 ? Http2Config : Http1Config;

    /// <summary>Whether the upstream request is HTTP/2 (<see cref="UsesHttp2"/>), worked out once per request.</summary>
    public bool Http2 { get; } = UsesHttp2(context, cluster);

    /// <summary>The endpoint the current attempt goes to (set by the pipeline before it forwards).</summary>
    public DestinationState? Destination { get; set; }

    public static bool UsesHttp2(HttpContext context, UpstreamCluster? cluster) => cluster?.Protocol switch
    {
        UpstreamProtocol.Http1 => false,
        UpstreamProtocol.Http2 => true,
        _ => HttpProtocol.IsHttp2(context.Request.Protocol),
    };

    private static readonly ForwarderRequestConfig Http2Config = new()
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        ActivityTimeout = TimeSpan.FromMinutes(5),
    };

    private static readonly ForwarderRequestConfig Http1Config = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromMinutes(5),
    };
}

/// <summary>What an attempt came to: its response went to the client (committed), or it is to be retried.</summary>
public readonly record struct AttemptOutcome(bool Committed);
