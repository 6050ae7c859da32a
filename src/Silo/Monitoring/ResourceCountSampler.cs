using Mesh.Config.Kinds;
using Mesh.Silo.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Silo.Monitoring;

/// <summary>Counts stored resources by kind every 5 s for the <c>mesh.config.resources</c> gauge, once the
/// silo is ready, from the namespace indexes (one grain call per namespace and kind, not per resource).</summary>
public sealed partial class ResourceCountSampler(ConfigCatalog catalog, MeshMetrics metrics, SiloReadiness readiness, ILogger<ResourceCountSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            if (!readiness.IsReady) continue;
            try
            {
                foreach (var kind in ResourceKinds.All)
                {
                    metrics.SetResourceCount(kind.Kind, await catalog.Count(kind.Kind));
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Counting resources for metrics failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
