using Mesh.Sidecar.Hosting;
using Microsoft.AspNetCore.Http;
using Polly;
using Polly.Timeout;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>Sends a routed request to its cluster: the circuit breakers admit it, then attempts go through YARP's
/// forwarder inside the route's <see cref="RouteResilience"/> pipeline, each to an endpoint the load balancer picks;
/// outcomes feed outlier detection. What cannot be forwarded is answered in Envoy's words (UO, UH, UF, UR, UT).</summary>
public sealed class ForwardPipeline(SidecarOptions options, OutlierDetector outliers, IHttpForwarder forwarder, SidecarMetrics metrics)
{
    public async Task Forward(ForwardState state)
    {
        var context = state.Context;
        var http1 = !state.Http2;
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
                var pipeline = RouteResilience.For(state.Action);
                if (pipeline is null)
                {
                    await Attempt(state, context.RequestAborted);
                    return;
                }
                var resilience = ResilienceContextPool.Shared.Get(context.RequestAborted);
                resilience.Properties.Set(RouteResilience.State, state);
                try
                {
                    await pipeline.ExecuteAsync(static async (resilience, self) =>
                        await self.Attempt(resilience.Properties.GetValue(RouteResilience.State, null!), resilience.CancellationToken), resilience, this);
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
        var available = state.YarpCluster.DestinationsState.AvailableDestinations;
        if (context.Items[RequestItems.Endpoint] is string addressed && available.FirstOrDefault(d => d.DestinationId == addressed) is { } only) available = [only];
        var destination = LoadBalancer.Pick(state.Cluster, state.Runtime, available, options.Locality, state.Hash, state.Tried);
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
        state.Destination = destination;
        var transformer = new MeshTransformer(options, state, outliers);
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

    /// <summary>Undo what YARP set on a response it did not start (its 502/504 for a failed attempt).</summary>
    internal static void ResetResponse(HttpContext context)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = 200;
        context.Response.Headers.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
    }
}
