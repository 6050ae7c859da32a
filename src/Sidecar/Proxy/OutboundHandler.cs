using System.Runtime.CompilerServices;
using Mesh.Config.Validation.Rules;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy.Paths;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>The outbound listener: the request's authority (Host header, or an absolute-form target when the app uses
/// the sidecar as its HTTP proxy) names the listener <c>HOST:PORT</c>, fetched on first use; its routes are matched in
/// order as Envoy does; then faults, redirects and direct responses, the weighted cluster, the circuit breakers, and
/// attempts through YARP's forwarder with Polly's retries and timeouts. A host the mesh does not know is passed
/// through to where it points (Istio's ALLOW_ANY).</summary>
public sealed partial class OutboundHandler(
    SidecarOptions options, ConfigStore store, YarpClusters yarp, ClusterRuntimes runtimes, OutlierDetector outliers,
    IHttpForwarder forwarder, Upstreams upstreams, SidecarMetrics metrics, ILogger<OutboundHandler> logger)
{
    private static readonly ResiliencePropertyKey<ForwardState> StateKey = new("mesh.forward");
    private readonly ConditionalWeakTable<ForwardAction, ResiliencePipeline<AttemptOutcome>> _pipelines = [];

    public async Task Handle(HttpContext context)
    {
        var authority = context.Request.Host;
        if (!authority.HasValue)
        {
            await LocalReply.Send(context, 400, "the request names no host (Host header or absolute URI)", "NR");
            return;
        }
        var port = authority.Port ?? 80;
        if (IsSelf(authority.Host, port))
        {
            await LocalReply.Send(context, 404, $"{authority} is this sidecar itself", "NR");
            return;
        }
        var service = HostNames.Qualify(authority.Host.ToLowerInvariant(), options.Namespace);
        var listenerName = $"{service}:{port}";
        context.Items[RequestItems.Service] = service;
        var model = store.Current;
        if (!model.Listeners.ContainsKey(listenerName))
        {
            await store.Discover(listenerName, options.DiscoveryTimeout, context.RequestAborted);
            model = store.Current;
        }
        if (!model.Listeners.TryGetValue(listenerName, out var listener))
        {
            // No listener, no normalization: the path goes out as the application wrote it.
            RequestTarget.UseRaw(context);
            await Passthrough(context, authority.Host, port);
            return;
        }
        if (!await RequestTarget.Apply(context, listener.Paths)) return;
        var table = listener.InlineRoutes ?? model.Routes.GetValueOrDefault(listener.RouteConfigName);
        var virtualHost = table?.Find(authority.Value!) ?? table?.Find(listenerName);
        var path = context.Request.Path.Value ?? "/";
        var roll = Random.Shared.NextDouble();
        var route = virtualHost?.Routes.FirstOrDefault(r => r.Match.Matches(context.Request, path, roll));
        if (virtualHost is null || route is null)
        {
            await LocalReply.Send(context, 404, "route_not_found", "NR");
            return;
        }
        context.Items[RequestItems.Route] = route.Name;
        if (listener.FaultFilter && route.Fault is { } fault && await InjectFault(context, fault)) return;
        if (route.Redirect is { } redirect)
        {
            Redirect(context, redirect, authority);
            return;
        }
        if (route.Direct is { } direct)
        {
            await Direct(context, direct);
            return;
        }
        var action = route.Forward!;
        var picked = action.Pick(Random.Shared.NextDouble());
        context.Items[RequestItems.UpstreamCluster] = picked.Name;
        if (!model.Clusters.TryGetValue(picked.Name, out var cluster) || yarp.Find(picked.Name) is not { } yarpCluster)
        {
            await LocalReply.Send(context, 503, "cluster_not_found", "NC");
            return;
        }
        var state = new ForwardState(context, model, cluster, runtimes.For(cluster.Name), yarpCluster, action, route, virtualHost, picked, RequestHash.Of(action.HashPolicies, context));
        await Forward(state);
        Mirror(state);
    }

    private async Task Forward(ForwardState state)
    {
        var context = state.Context;
        var http1 = !ForwardState.Http2(context, state.Cluster);
        var (lease, overflow) = await state.Runtime.Admit(state.Cluster.Limits, http1, context.RequestAborted);
        if (overflow is not null)
        {
            Interlocked.Increment(ref state.Runtime.Overflows);
            metrics.Overflow(state.Cluster.Name, overflow);
            await LocalReply.Send(context, 503, "upstream connect error or disconnect/reset before headers. reset reason: overflow", "UO",
                headers: new Dictionary<string, string> { ["x-envoy-overloaded"] = "true", ["x-mesh-circuit-breaker"] = overflow });
            return;
        }
        using (lease)
        {
            try
            {
                var pipeline = Pipeline(state.Action);
                if (pipeline is null)
                {
                    await Attempt(state, context.RequestAborted);
                    return;
                }
                var resilience = ResilienceContextPool.Shared.Get(context.RequestAborted);
                resilience.Properties.Set(StateKey, state);
                try
                {
                    await pipeline.ExecuteAsync(static async (resilience, handler) =>
                        await handler.Attempt(resilience.Properties.GetValue(StateKey, null!), resilience.CancellationToken), resilience, this);
                }
                finally
                {
                    ResilienceContextPool.Shared.Return(resilience);
                }
            }
            catch (TimeoutRejectedException)
            {
                await LocalReply.Send(context, 504, "upstream request timeout", "UT");
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                context.Items[RequestItems.ResponseFlags] = "DC";
            }
            finally
            {
                state.ReleaseRetry();
                context.Items[RequestItems.Attempts] = state.Attempt;
            }
        }
    }

    /// <summary>One attempt: an endpoint from the load balancer, forwarded by YARP. The transformer holds back a
    /// response that is to be retried; a connection failure before any response is retried the same way.</summary>
    private async ValueTask<AttemptOutcome> Attempt(ForwardState state, CancellationToken cancellationToken)
    {
        var context = state.Context;
        state.Attempt++;
        var destination = LoadBalancer.Pick(state.Cluster, state.Runtime, state.YarpCluster.DestinationsState.AvailableDestinations, options.Locality, state.Hash, state.Tried);
        if (destination is null)
        {
            await LocalReply.Send(context, 503, "no healthy upstream", "UH");
            return new AttemptOutcome(true);
        }
        state.Tried.Add(destination.DestinationId);
        context.Items[RequestItems.UpstreamHost] = destination.DestinationId;
        if (state.Cluster.ByKey.TryGetValue(destination.DestinationId, out var upstream))
        {
            context.Items[RequestItems.DestinationWorkload] = upstream.Workload;
            context.Items[RequestItems.DestinationNamespace] = upstream.WorkloadNamespace;
        }
        var endpoint = state.Runtime.Endpoint(destination.DestinationId);
        var transformer = new MeshTransformer(options, state, (status, grpc) =>
        {
            outliers.Record(state.Cluster, state.Runtime, state.YarpCluster, destination, status);
            return !state.ShouldRetry(status, grpc);
        });
        ForwarderError error;
        Interlocked.Increment(ref endpoint.Active);
        try
        {
            error = await forwarder.SendAsync(context, destination.Model.Config.Address, state.YarpCluster.Model.HttpClient, state.RequestConfig, transformer, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref endpoint.Active);
        }
        if (error == ForwarderError.None)
        {
            // A response held back for a retry leaves the status YARP set: the next attempt needs a pristine one.
            if (!transformer.Committed) ResetResponse(context);
            return new AttemptOutcome(transformer.Committed);
        }
        if (context.RequestAborted.IsCancellationRequested) return new AttemptOutcome(true);
        if (cancellationToken.IsCancellationRequested)
        {
            // A timeout: Polly turns this into a per-try retry or the route's 504.
            ResetResponse(context);
            throw new OperationCanceledException(cancellationToken);
        }
        if (context.Response.HasStarted) return new AttemptOutcome(true);
        outliers.Record(state.Cluster, state.Runtime, state.YarpCluster, destination, 0);
        ResetResponse(context);
        if (state.ShouldRetryError(error)) return new AttemptOutcome(false);
        var reason = error is ForwarderError.Request or ForwarderError.RequestTimedOut ? "connection failure" : "remote reset";
        await LocalReply.Send(context, 503, $"upstream connect error or disconnect/reset before headers. reset reason: {reason}", error is ForwarderError.Request ? "UF" : "UR");
        return new AttemptOutcome(true);
    }

    /// <summary>Polly's pipeline for a route: the route timeout around the retries, each retry with its per-try timeout
    /// and Envoy's fully jittered exponential backoff. Null when the route has neither.</summary>
    private ResiliencePipeline<AttemptOutcome>? Pipeline(ForwardAction action)
    {
        if (action.Retry is null && action.Timeout is null) return null;
        return _pipelines.GetValue(action, static action =>
        {
            var builder = new ResiliencePipelineBuilder<AttemptOutcome>();
            if (action.Timeout is { } timeout) builder.AddTimeout(Timeout(timeout));
            if (action.Retry is { } retry)
            {
                builder.AddRetry(new RetryStrategyOptions<AttemptOutcome>
                {
                    MaxRetryAttempts = Math.Max(1, retry.NumRetries),
                    ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                    {
                        { Result: { Committed: false } } => true,
                        { Exception: TimeoutRejectedException } => args.Context.Properties.GetValue(StateKey, null!).ShouldRetryTimeout(),
                        _ => false,
                    }),
                    DelayGenerator = args =>
                    {
                        var ceiling = Math.Min(retry.MaxInterval.TotalMilliseconds, retry.BaseInterval.TotalMilliseconds * Math.Pow(2, args.AttemptNumber));
                        return ValueTask.FromResult<TimeSpan?>(DurationBounds.Wait(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling)));
                    },
                });
                if (retry.PerTryTimeout is { } perTry) builder.AddTimeout(Timeout(perTry));
            }
            return builder.Build();
        });
    }

    /// <summary>Polly's <c>Timeout</c> option is validated to 10 ms..24 h, where Envoy takes any timeout (DurationBounds
    /// bounds it to what a timer can run): through the generator, which Polly does not bound, every one is honoured.</summary>
    internal static TimeoutStrategyOptions Timeout(TimeSpan timeout) => new() { TimeoutGenerator = _ => ValueTask.FromResult(timeout) };

    private async Task Passthrough(HttpContext context, string host, int port)
    {
        context.Items[RequestItems.UpstreamCluster] = "PassthroughCluster";
        context.Items[RequestItems.UpstreamHost] = $"{host}:{port}";
        LogPassthrough(logger, host, port);
        var error = await forwarder.SendAsync(context, $"http://{host}:{port}", upstreams.Passthrough,
            ForwardState.Http2(context, null) ? upstreams.Http2 : upstreams.Http1, new MeshTransformer(options, null, null), context.RequestAborted);
        if (error != ForwarderError.None && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            ResetResponse(context);
            await LocalReply.Send(context, 503, $"upstream connect error or disconnect/reset before headers. reset reason: connection failure ({host}:{port})", "UF");
        }
    }

    private static async Task<bool> InjectFault(HttpContext context, FaultPolicy fault)
    {
        if (fault.Delay is { } delay && fault.DelayFraction.Roll(Random.Shared.NextDouble()))
        {
            context.Items[RequestItems.ResponseFlags] = "DI";
            await Task.Delay(delay, context.RequestAborted);
        }
        if ((fault.AbortHttpStatus is not null || fault.AbortGrpcStatus is not null) && fault.AbortFraction.Roll(Random.Shared.NextDouble()))
        {
            await LocalReply.Send(context, fault.AbortHttpStatus ?? 200, "fault filter abort", "FI", fault.AbortGrpcStatus);
            return true;
        }
        return false;
    }

    private static void Redirect(HttpContext context, RedirectAction redirect, HostString authority)
    {
        var request = context.Request;
        var scheme = redirect.Scheme ?? request.Scheme;
        var host = redirect.Host ?? authority.Host;
        var targetPort = redirect.Port ?? (redirect.Host is null && redirect.Scheme is null ? authority.Port : null);
        var path = redirect.Path ?? (redirect.PrefixRewrite is { } prefix ? prefix + (request.Path.Value ?? "") : request.Path.Value ?? "/");
        var query = redirect.StripQuery || (redirect.Path?.Contains('?') ?? false) ? "" : request.QueryString.Value;
        var location = $"{scheme}://{host}{(targetPort is { } p ? ":" + p : "")}{path}{query}";
        context.Response.StatusCode = redirect.StatusCode;
        context.Response.Headers.Location = location;
    }

    private static async Task Direct(HttpContext context, DirectResponse direct)
    {
        context.Response.StatusCode = direct.Status;
        if (direct.Body is { } body)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(body);
        }
    }

    /// <summary>Request mirroring: a copy goes to the mirror cluster, Host suffixed <c>-shadow</c> as Envoy does, and
    /// its answer is ignored. Requests with a body are not mirrored (bodies are not kept).</summary>
    private void Mirror(ForwardState state)
    {
        foreach (var mirror in state.Action.Mirrors)
        {
            if (!mirror.Fraction.Roll(Random.Shared.NextDouble())) continue;
            if (!state.Model.Clusters.TryGetValue(mirror.Cluster, out var cluster) || yarp.Find(mirror.Cluster) is not { } target) continue;
            if (state.HasBody) continue;
            var destination = LoadBalancer.Pick(cluster, runtimes.For(cluster.Name), target.DestinationsState.AvailableDestinations, options.Locality, null, null);
            if (destination is null) continue;
            var request = state.Context.Request;
            var copy = new HttpRequestMessage(new HttpMethod(request.Method), RequestTarget.Upstream(destination.Model.Config.Address, request.Path.Value ?? "/", request.QueryString.Value))
            {
                Version = ForwardState.Http2(state.Context, cluster) ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            foreach (var (name, values) in request.Headers)
            {
                if (name.StartsWith(':') || name.Equals("host", StringComparison.OrdinalIgnoreCase)) continue;
                if (!copy.Headers.TryAddWithoutValidation(name, values.ToArray())) copy.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
            copy.Headers.Host = $"{request.Host.Host}-shadow{(request.Host.Port is { } p ? ":" + p : "")}";
            _ = Shadow(target.Model.HttpClient, copy);
        }
    }

    private static async Task Shadow(HttpMessageInvoker client, HttpRequestMessage request)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await client.SendAsync(request, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
        }
        finally
        {
            request.Dispose();
        }
    }

    private bool IsSelf(string host, int port)
        => (host is "localhost" or "127.0.0.1" or "[::1]" || host == options.Address)
            && (port == options.OutboundPort || port == options.InboundPort || port == options.AdminPort);

    /// <summary>Undo what YARP set on a response it did not start (its 502/504 for a failed attempt).</summary>
    private static void ResetResponse(HttpContext context)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = 200;
        context.Response.Headers.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "No mesh config for {Host}:{Port}; passing the request through")]
    private static partial void LogPassthrough(ILogger logger, string host, int port);
}
