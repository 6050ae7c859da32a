using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Grains.Reconcile;

/// <summary>Asks every outbox bucket to sweep, on every silo, every <see cref="ReconcileOptions.SweepInterval"/>.
/// Each bucket is one activation in the cluster, so the silos do not repeat each other's work; asking from every
/// silo means a bucket whose silo died is activated again, from storage, by the next tick of any survivor.</summary>
public sealed partial class OutboxSweeper(IGrainFactory grains, IOptions<ReconcileOptions> options, ReconcileMetrics metrics, ILogger<OutboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Task.WhenAll(OutboxBuckets.All.Select(bucket => Sweep(bucket, stoppingToken)));
        }
    }

    private async Task Sweep(int bucket, CancellationToken stoppingToken)
    {
        try
        {
            var result = await grains.GetGrain<IOutboxGrain>(bucket).Sweep();
            metrics.Pending(bucket, result.Pending);
            if (result.Reconciled == 0) return;
            metrics.Swept(result.Reconciled);
            LogSwept(logger, bucket, result.Reconciled);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The silo is starting or stopping, or the bucket's silo just died: the next tick tries again.
            LogSweepFailed(logger, bucket, exception);
        }
    }

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Outbox bucket {Bucket}: reconciled {Count} resource(s) whose derived state was behind")]
    private static partial void LogSwept(ILogger logger, int bucket, int count);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Debug, Message = "Sweeping outbox bucket {Bucket} failed; the next tick retries")]
    private static partial void LogSweepFailed(ILogger logger, int bucket, Exception exception);
}
