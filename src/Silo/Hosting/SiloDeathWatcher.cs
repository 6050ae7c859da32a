using Mesh.Xds.Cache;
using Orleans.Runtime;

namespace Mesh.Silo.Hosting;

/// <summary>When a silo of the cluster dies, the grains it held come back elsewhere without the subscriptions
/// this silo had on them (xDS service models, API watches' namespace feeds): renew at once (and twice more as the cluster settles) so nothing waits for the next
/// periodic renewal.</summary>
public sealed partial class SiloDeathWatcher(IClusterMembershipService membership, ServiceModelCache models, Watch.ConfigWatchFactory watches, ILogger<SiloDeathWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan[] Settling = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                if (newlyDead.Count == 0) continue;
                LogSiloDied(logger, string.Join(", ", newlyDead.Select(m => m.SiloAddress)));
                _ = Task.Run(async () =>
                {
                    foreach (var delay in Settling)
                    {
                        await Task.Delay(delay, stoppingToken);
                        models.RenewNow();
                        watches.RenewAll();
                    }
                }, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Silo(s) {Silos} died; renewing subscriptions to service grains and change feeds")]
    private static partial void LogSiloDied(ILogger logger, string silos);
}
