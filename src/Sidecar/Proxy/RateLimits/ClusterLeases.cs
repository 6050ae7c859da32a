using System.Collections.Concurrent;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Sidecar.Config;
using Mesh.Xds.Protos.ApiPolicy;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Proxy.RateLimits;

/// <summary>A gateway's side of the Cluster limits: per bucket and key, tokens leased from the control plane's
/// rate-limit grain in batches of <see cref="LeaseFraction"/> of the bucket (at least 1), served to requests without
/// waiting, and topped up in the background when half a batch is left. Accuracy: a grain never grants more than its
/// bucket holds, and a gateway holds at most one batch L, so with N gateways at most N×L more requests than the
/// bucket allows are admitted in any window (tokens leased in one window and spent in the next), and as many fewer
/// when leased tokens sit unused on a gateway that gets no traffic. Before the first lease of a key answers, up to L
/// requests are admitted on credit (repaid from that lease, so within the same N×L). While the control plane cannot
/// be reached, an Open limit admits and a Closed one refuses (429).</summary>
public sealed partial class ClusterLeases(LeaseChannel channel, TimeProvider time, ILogger<ClusterLeases> logger)
{
    public const double LeaseFraction = 0.1;

    private static readonly TimeSpan RetryUnreachable = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(string Bucket, string Key), LeasedTokens> _leases = new();

    /// <summary>The batch a gateway leases for a bucket of this shape.</summary>
    public static long BatchOf(TokenBucketShape shape) => Math.Max(1, (long)Math.Ceiling(shape.MaxTokens * LeaseFraction));

    public RateLimitDecision Take(RateLimitModel limit, string key)
    {
        var lease = _leases.GetOrAdd((limit.Bucket, key), static _ => new LeasedTokens());
        var batch = BatchOf(limit.Shape);
        var (taken, left) = lease.TryTake();
        taken = taken || lease.TryBorrow(batch);
        if (lease.Wants(batch, time.GetTimestamp())) _ = Refill(limit, key, lease, batch);
        if (taken) return new RateLimitDecision(true, limit.Shape.MaxTokens, left, lease.ResetSeconds(time));
        var admitted = lease.IsUnreachable && !limit.FailClosed;
        if (admitted) LogFailingOpen(logger, limit.Bucket);
        return new RateLimitDecision(admitted, limit.Shape.MaxTokens, 0, lease.ResetSeconds(time));
    }

    private async Task Refill(RateLimitModel limit, string key, LeasedTokens lease, long batch)
    {
        try
        {
            var wanted = batch - lease.Tokens;
            var response = await channel.Lease(new LeaseRequest
            {
                Bucket = limit.Bucket,
                Key = key,
                Tokens = (uint)Math.Clamp(wanted, 1, uint.MaxValue),
                MaxTokens = (ulong)limit.Shape.MaxTokens,
                TokensPerFill = (ulong)limit.Shape.TokensPerFill,
                FillInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(limit.Shape.FillInterval),
            });
            var nextFill = response.NextFill?.ToTimeSpan() ?? limit.Shape.FillInterval;
            lease.Granted(response.Granted, time.GetTimestamp() + (long)(nextFill.TotalSeconds * time.TimestampFrequency));
        }
        catch (Exception exception)
        {
            LogLeaseFailed(logger, limit.Bucket, exception);
            lease.Failed(time.GetTimestamp() + (long)(RetryUnreachable.TotalSeconds * time.TimestampFrequency));
        }
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Warning, Message = "Could not lease rate-limit tokens for {Bucket} from the control plane")]
    private static partial void LogLeaseFailed(ILogger logger, string bucket, Exception exception);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Debug, Message = "Admitting a request of {Bucket} without a lease (failureMode Open)")]
    private static partial void LogFailingOpen(ILogger logger, string bucket);
}
