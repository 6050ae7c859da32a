using System.Diagnostics;
using Mesh.Config.Kinds;
using Mesh.Kubernetes.Source;
using Mesh.Kubernetes.Status;
using Mesh.Silo.Api;

namespace Mesh.Silo.Kubernetes.Source;

/// <summary>The Kubernetes source: on the silo that leads (<see cref="SourceLeadership"/>), it watches the registry's
/// kinds and every Mesh kind the API server serves, keeps a <see cref="ClusterState"/>, and writes the config it stands
/// for through <see cref="ConfigSync"/>. Bursts of events are coalesced for <see cref="Coalesce"/>, so one change reaches
/// the grains within tens of milliseconds and a thousand become one sync. After each sync the status writer (an
/// <see cref="ISourcedObjectSink"/> in DI, if any) hears about each Mesh-kind object read or gone.</summary>
public sealed partial class KubernetesSource(
    k8s.Kubernetes client,
    SourceLeadership leadership,
    IGrainFactory grains,
    ConfigCatalog catalog,
    SourceMetrics metrics,
    IServiceProvider services,
    ILoggerFactory loggers) : BackgroundService
{
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(25);

    /// <summary>A sync whose writes failed runs again after this, even without a new event.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger = loggers.CreateLogger<KubernetesSource>();

    public WatchOptions Watches { get; init; } = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.Lead(Lead, stoppingToken);

    private async Task Lead(CancellationToken leading)
    {
        var api = new ApiReader(client);
        var meshKinds = await Served(api, leading);
        var watched = SourceKinds.Registry.Concat(meshKinds.Keys).ToList();
        var wake = new SemaphoreSlim(0);
        var state = new ClusterState(meshKinds, watched, () => { if (wake.CurrentCount == 0) wake.Release(); });
        var watchLogger = loggers.CreateLogger<ResourceWatch>();
        var watches = watched.Select(resource => new ResourceWatch(api, resource, state, Watches, metrics, watchLogger).Run(leading)).ToList();
        var sink = services.GetService<ISourcedObjectSink>();
        try
        {
            await Sync(state, wake, sink, leading);
        }
        finally
        {
            await Task.WhenAll(watches);
            sink?.Released();
        }
    }

    /// <summary>Writes whenever something changed, once every kind has been listed (a partial set would delete what is
    /// only not read yet). A new leader re-reads what is stored, since the last leader's writes are not in its memory.</summary>
    private async Task Sync(ClusterState state, SemaphoreSlim wake, ISourcedObjectSink? sink, CancellationToken leading)
    {
        var sync = new ConfigSync(grains, catalog, loggers.CreateLogger<ConfigSync>());
        var readStored = true;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var retry = false;
        while (!leading.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(retry ? RetryAfter : Timeout.InfiniteTimeSpan, leading);
                await Task.Delay(Coalesce, leading);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!state.IsComplete) continue;
            var (changes, relisted) = state.Take();
            var started = Stopwatch.GetTimestamp();
            var (desired, problems, kept) = state.Desired();
            foreach (var problem in problems.Select(p => p.ToString()).Where(reported.Add)) LogRegistryProblem(_logger, problem);
            int failures;
            try
            {
                failures = await sync.Apply(desired, readStored || relisted, leading, kept);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // Reading what is stored failed (the index unreachable): nothing was written; try the whole sync again.
                LogSyncFailed(_logger, error);
                failures = 1;
            }
            metrics.Synced(Stopwatch.GetElapsedTime(started));
            readStored = failures > 0 && readStored;
            retry = failures > 0;
            if (sink is not null) Report(sink, changes, sync.Conflicts);
        }
    }

    private static void Report(ISourcedObjectSink sink, IReadOnlyList<SourcedChange> changes, IReadOnlySet<string> conflicts)
    {
        foreach (var change in changes)
        {
            if (change.Removed is { } gone)
            {
                sink.Removed(gone.Kind, gone.Namespace, gone.Name);
                continue;
            }
            var observed = change.Observed!;
            var key = Mesh.Config.Keys.ResourceKey.Of(observed.Kind.Kind, observed.Namespace, observed.Name);
            sink.Observed(conflicts.Contains(key)
                ? observed with { Problems = [new("metadata.name", "a resource of this name was applied through Mesh's API; delete it there for this one to take effect")] }
                : observed);
        }
    }

    /// <summary>Each Mesh kind at the first of its versions the server serves; one log line for each it does not.</summary>
    private async Task<IReadOnlyDictionary<ApiResource, ResourceKind>> Served(ApiReader api, CancellationToken cancellation)
    {
        var served = new Dictionary<ApiResource, ResourceKind>();
        foreach (var kind in ResourceKinds.All)
        {
            ApiResource? found = null;
            foreach (var candidate in SourceKinds.Candidates(kind))
            {
                if (!await api.Serves(candidate, cancellation)) continue;
                found = candidate;
                break;
            }
            if (found is null) LogNotServed(_logger, kind.QualifiedName);
            else served[found] = kind;
        }
        return served;
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Kubernetes source: the API server does not serve {Kind} (its CRD is not installed); not watched")]
    private static partial void LogNotServed(ILogger logger, string kind);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Kubernetes source: {Problem}")]
    private static partial void LogRegistryProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Kubernetes source: a sync failed; it runs again shortly")]
    private static partial void LogSyncFailed(ILogger logger, Exception error);
}
