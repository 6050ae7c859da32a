using System.Diagnostics;
using Mesh.Sidecar.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy;

/// <summary>Envoy's fault filter on a route: a delay for its fraction of requests, then an abort (HTTP or gRPC
/// status, flag FI) for its fraction; a delayed request that is not aborted goes on (flag DI).</summary>
public static class FaultInjection
{
    /// <summary>Applies <paramref name="fault"/>; true when the request was aborted (answered).</summary>
    public static async Task<bool> Apply(HttpContext context, FaultPolicy fault)
    {
        if (fault.Delay is { } delay && fault.DelayFraction.Roll(Random.Shared.NextDouble()))
        {
            context.Items[RequestItems.ResponseFlags] = "DI";
            await AtLeast(delay, context.RequestAborted);
        }
        if ((fault.AbortHttpStatus is not null || fault.AbortGrpcStatus is not null) && fault.AbortFraction.Roll(Random.Shared.NextDouble()))
        {
            await LocalReply.Send(context, fault.AbortHttpStatus ?? 200, "fault filter abort", "FI", fault.AbortGrpcStatus);
            return true;
        }
        return false;
    }

    /// <summary>Waits <paramref name="delay"/> or a little more, never less. Timers run on the coarse clock (4 ms ticks on
    /// many Linux kernels) and can fire that much early by the precise one; a user who asked for 600 ms gets 600.</summary>
    public static async Task AtLeast(TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var left = delay; left > TimeSpan.Zero; left = delay - Stopwatch.GetElapsedTime(started))
        {
            // Whole milliseconds, rounded up: Task.Delay truncates, and a remainder under 1 ms would not wait at all.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), cancellationToken);
        }
    }
}
