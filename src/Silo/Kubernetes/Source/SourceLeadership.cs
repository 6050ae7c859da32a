using System.Diagnostics;
using Mesh.Grains.Kubernetes;
using Mesh.Kubernetes.Source;
using Orleans.Runtime;

namespace Mesh.Silo.Kubernetes.Source;

/// <summary>Runs work on one silo of the cluster at a time, under the <see cref="IKubernetesLeaseGrain"/> named
/// <see cref="LeaseName"/>: the silo that holds the lease runs it with a token that is cancelled the moment the silo
/// can no longer be sure it holds it (the grain gave it to another, or no renewal succeeded for
/// <see cref="Deadline"/>), so a silo that lost the lease stops writing before another can have started.</summary>
public sealed partial class SourceLeadership(IGrainFactory grains, ILocalSiloDetails silo, SourceMetrics metrics, ILogger<SourceLeadership> logger)
{
    public const string LeaseName = "kubernetes-source";

    /// <summary>How long the lease holds without renewal: how soon another silo takes over after the leader dies.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(4);

    /// <summary>How often the leader renews, and how often the others ask.</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(1);

    /// <summary>The leader stops a renewal interval before the lease could have passed on: its own clock measures
    /// from before each renewal was sent, the grain's from when it arrived, so the leader always stops first.</summary>
    private static readonly TimeSpan Deadline = TimeToLive - RenewInterval;

    private string Holder => silo.SiloAddress.ToString();

    /// <summary>Runs <paramref name="work"/> while this silo holds <paramref name="leaseName"/> (default the source's);
    /// other cluster-wide writers take a lease of their own, so that each kind of work has one leader.</summary>
    public async Task Lead(Func<CancellationToken, Task> work, CancellationToken stopping, string leaseName = LeaseName)
    {
        var lease = grains.GetGrain<IKubernetesLeaseGrain>(leaseName);
        while (!stopping.IsCancellationRequested)
        {
            var asked = Stopwatch.GetTimestamp();
            var granted = await TryAcquire(lease);
            if (granted?.IsHeldBy(Holder) != true)
            {
                await Pause(RenewInterval, stopping);
                continue;
            }
            Changed(leaseName, granted.Term, leading: true);
            await HoldWhileWorking(lease, asked, work, stopping);
            Changed(leaseName, granted.Term, leading: false);
        }
        try
        {
            await lease.Release(Holder).WaitAsync(RenewInterval);
        }
        catch (Exception error)
        {
            LogReleaseFailed(logger, error);
        }
    }

    /// <summary>The source's leadership is logged in its own words and counted; another lease's only logged.</summary>
    private void Changed(string leaseName, long term, bool leading)
    {
        if (leaseName != LeaseName)
        {
            if (leading) LogHolding(logger, Holder, leaseName, term);
            else LogNotHolding(logger, Holder, leaseName, term);
            return;
        }
        metrics.LeaderChanged(leading);
        if (leading) LogLeading(logger, Holder, term);
        else LogNotLeading(logger, Holder, term);
    }

    private async Task HoldWhileWorking(IKubernetesLeaseGrain lease, long confirmed, Func<CancellationToken, Task> work, CancellationToken stopping)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var working = Task.Run(() => work(term.Token), CancellationToken.None);
        while (!term.IsCancellationRequested && !working.IsCompleted)
        {
            await Task.WhenAny(working, Pause(RenewInterval, term.Token));
            if (working.IsCompleted || term.IsCancellationRequested) break;
            var asked = Stopwatch.GetTimestamp();
            var renewed = await TryAcquire(lease);
            if (renewed?.IsHeldBy(Holder) == true) confirmed = asked;
            else if (renewed is not null || Stopwatch.GetElapsedTime(confirmed) > Deadline) break;
        }
        await term.CancelAsync();
        try
        {
            await working;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception error)
        {
            LogWorkFailed(logger, error);
            await Pause(RenewInterval, stopping);
        }
    }

    /// <summary>The lease as the grain answered, or null when it did not answer in time.</summary>
    private async Task<KubernetesLease?> TryAcquire(IKubernetesLeaseGrain lease)
    {
        try
        {
            return await lease.Acquire(Holder, TimeToLive).WaitAsync(RenewInterval);
        }
        catch (Exception error)
        {
            LogRenewFailed(logger, error.Message);
            return null;
        }
    }

    private static async Task Pause(TimeSpan delay, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(delay, cancellation);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 7501, Level = LogLevel.Information, Message = "Kubernetes source: this silo ({Holder}) leads now (term {Term}) and watches the API server")]
    private static partial void LogLeading(ILogger logger, string holder, long term);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Information, Message = "Kubernetes source: this silo ({Holder}) no longer leads (term {Term}); its watches and writes have stopped")]
    private static partial void LogNotLeading(ILogger logger, string holder, long term);

    [LoggerMessage(EventId = 7506, Level = LogLevel.Information, Message = "Kubernetes: this silo ({Holder}) holds the lease {Lease} now (term {Term})")]
    private static partial void LogHolding(ILogger logger, string holder, string lease, long term);

    [LoggerMessage(EventId = 7507, Level = LogLevel.Information, Message = "Kubernetes: this silo ({Holder}) no longer holds the lease {Lease} (term {Term}); its work under it has stopped")]
    private static partial void LogNotHolding(ILogger logger, string holder, string lease, long term);

    [LoggerMessage(EventId = 7503, Level = LogLevel.Debug, Message = "Kubernetes source: the lease did not answer: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7504, Level = LogLevel.Warning, Message = "Kubernetes source: the leader's work failed; it starts again while the lease is held")]
    private static partial void LogWorkFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 7505, Level = LogLevel.Debug, Message = "Kubernetes source: the lease could not be released")]
    private static partial void LogReleaseFailed(ILogger logger, Exception error);
}
