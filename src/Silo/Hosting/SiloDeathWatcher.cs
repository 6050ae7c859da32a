using Mesh.Grains.Subscriptions;
using Orleans.Runtime;

namespace Mesh.Silo.Hosting;

/// <summary>When a silo of the cluster dies, the grains it held come back elsewhere without the subscriptions
/// this silo had on them (xDS service models and security policy, API watches' namespace feeds): renew every one
/// at once (and twice more as the cluster settles) so nothing waits for the next periodic renewal.</summary>
public sealed partial class SiloDeathWatcher(IClusterMembershipService membership, SubscriptionRegistry subscriptions, ILogger<SiloDeathWatcher> logger) : BackgroundService
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
                        subscriptions.RenewAll();
                    }
                }, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Silo(s) {Silos} died; renewing every grain subscription of this silo")]
    private static partial void LogSiloDied(ILogger logger, string silos);
}
