using System.Runtime.CompilerServices;
using Mesh.Sidecar.Config;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Mesh.Sidecar.Proxy;

/// <summary>Polly's pipeline for a route: the route timeout around the retries, each retry with its per-try timeout
/// and Envoy's fully jittered exponential backoff. Built once per route action; null when the route has neither.
/// Whether a response or a per-try timeout is retried is the request's <see cref="ForwardState"/>'s decision.</summary>
public static class RouteResilience
{
    /// <summary>Where the pipeline finds the request's <see cref="ForwardState"/>.</summary>
    public static readonly ResiliencePropertyKey<ForwardState> State = new("mesh.forward");

    private static readonly ConditionalWeakTable<ForwardAction, ResiliencePipeline<AttemptOutcome>> Pipelines = [];

    public static ResiliencePipeline<AttemptOutcome>? For(ForwardAction action)
    {
        if (action.Retry is null && action.Timeout is null) return null;
        return Pipelines.GetValue(action, static action =>
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
                        { Exception: TimeoutRejectedException } => args.Context.Properties.GetValue(State, null!).ShouldRetryTimeout(),
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
}
