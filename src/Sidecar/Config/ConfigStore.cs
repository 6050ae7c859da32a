using System.Collections.Immutable;
using System.Diagnostics;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Microsoft.Extensions.Logging;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Config;

/// <summary>The sidecar's config: the current <see cref="ProxyModel"/>, replaced whole only by an update that compiles
/// (a NACKed update leaves it as it was), the names the proxy needs (wildcard listeners, listeners asked for on
/// demand, and whatever those reference), and the requests waiting for a listener to arrive.</summary>
public sealed partial class ConfigStore(IClusterSync clusters, Hosting.SidecarOptions options, ILogger<ConfigStore> logger, SidecarMetrics? metrics = null)
{
    /// <summary>The listeners asked for from the start: the workload's own inbound listener (its mTLS mode and
    /// policy), or a gateway's, one per listen port. A sidecar has the inbound one when it fronts an application
    /// (--app-port) or other pods can reach it (an --address off loopback): in a pod whose inbound traffic is
    /// captured, connections arrive for the application's ports without any --app-port.</summary>
    private readonly ImmutableHashSet<string> _fixedListeners = ImmutableHashSet.CreateRange(StringComparer.Ordinal,
        options.GatewayListeners.Values.Concat(options.Gateway || (options.AppPort is null && IsLoopback(options.Address))
            ? [] : [InboundListenerName.Of(options.Namespace, options.Workload)]));

    private static bool IsLoopback(string address) => !System.Net.IPAddress.TryParse(address, out var ip) || System.Net.IPAddress.IsLoopback(ip);

    private readonly object _gate = new();
    private readonly SemaphoreSlim _applying = new(1, 1);
    private ImmutableHashSet<string> _onDemand = ImmutableHashSet<string>.Empty;
    private readonly List<(string Listener, TaskCompletionSource<bool> Done)> _waiting = [];
    private readonly TaskCompletionSource _firstResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ProxyModel _model = ProxyModel.Empty;

    /// <summary>The model requests are served from. Read it once per request.</summary>
    public ProxyModel Current => _model;

    /// <summary>The last update refused, with why, for the admin page.</summary>
    public (string Type, string Error, DateTimeOffset At)? LastRejection { get; private set; }

    /// <summary>What applying updates has cost so far, for the admin page.</summary>
    public ApplyCost Cost { get; private set; } = new(0, TimeSpan.Zero, TimeSpan.Zero, null);

    /// <summary>True once a control plane has answered: the sidecar has config (possibly empty) to serve with.</summary>
    public bool Ready => _firstResponse.Task.IsCompleted;

    /// <summary>Raised with each model that replaced the previous one. Handlers must not block.</summary>
    public event Action<ProxyModel>? Applied;

    /// <summary>Raised when the names the proxy needs changed: the xDS client sends new subscriptions.</summary>
    public event Action? SubscriptionsChanged;

    /// <summary>The names to subscribe to, by type. Listeners: wildcard plus those asked for on demand; the rest: what
    /// the resources held refer to.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Desired()
    {
        var references = _model.References;
        return new Dictionary<string, IReadOnlySet<string>>
        {
            [TypeUrls.Secret] = options.Secured ? references.Secrets.Names.Add(SecretNames.RootCa) : references.Secrets.Names,
            [TypeUrls.Listener] = _fixedListeners.Union(_onDemand),
            [TypeUrls.Route] = references.Routes.Names,
            [TypeUrls.Cluster] = references.Clusters.Names,
            [TypeUrls.Endpoint] = references.Endpoints.Names,
        };
    }

    /// <summary>Waits until listener <paramref name="name"/> and everything it references has arrived (true), or the
    /// server said it does not exist or the wait timed out without it (false).</summary>
    public async Task<bool> Discover(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> done;
        lock (_gate)
        {
            if (Complete(_model, name) is { } known) return known;
            done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((name, done));
            _onDemand = _onDemand.Add(name);
        }
        SubscriptionsChanged?.Invoke();
        try
        {
            return await done.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogDiscoveryTimeout(logger, name, timeout);
            return _model.Listeners.ContainsKey(name);
        }
    }

    /// <summary>Applies one response. Returns null when it was applied (ACK), or the error (NACK); a NACKed response
    /// changes nothing.</summary>
    public async Task<string?> Apply(string type, IReadOnlyList<ReceivedResource> upserts, IReadOnlyList<string> removed, string version)
    {
        await _applying.WaitAsync();
        var resubscribe = false;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var cpu = Telemetry.ThreadCpuTime.Now();
            var candidate = _model.Resources.With(type, upserts, removed, version);
            var (model, errors) = ModelCompiler.Compile(_model, candidate, type, upserts.Select(u => u.Name).Concat(removed));
            if (model is null)
            {
                var error = string.Join("; ", errors.Take(10)) + (errors.Count > 10 ? $"; and {errors.Count - 10} more" : "");
                LastRejection = (type, error, DateTimeOffset.UtcNow);
                LogRejected(logger, TypeUrls.ShortName(type), version, error);
                _firstResponse.TrySetResult();
                return error;
            }
            // The upstream clusters exist before any route can send to them. YARP applies them as the call starts
            // (on this thread), and the wait for that is not CPU.
            var synced = clusters.Apply(model);
            var spent = Telemetry.ThreadCpuTime.Now() - cpu;
            await synced;
            resubscribe = !model.References.SameNames(_model.References);
            _model = model;
            Applied?.Invoke(model);
            Measured(type, Stopwatch.GetElapsedTime(started), spent);
            LogApplied(logger, TypeUrls.ShortName(type), version, upserts.Count, removed.Count);
            _firstResponse.TrySetResult();
        }
        finally
        {
            _applying.Release();
        }
        Resolve();
        // Only when the names changed: working out what to send again costs as much as the names held.
        if (resubscribe) SubscriptionsChanged?.Invoke();
        return null;
    }

    private void Measured(string type, TimeSpan duration, TimeSpan cpu)
    {
        var shortName = TypeUrls.ShortName(type);
        Cost = new ApplyCost(Cost.Count + 1, Cost.Cpu + cpu, cpu, shortName);
        metrics?.XdsApplied(shortName, duration, cpu);
    }

    private void Resolve()
    {
        lock (_gate)
        {
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                var (name, done) = _waiting[i];
                if (done.Task.IsCompleted)
                {
                    _waiting.RemoveAt(i);
                    continue;
                }
                if (Complete(_model, name) is not { } result) continue;
                done.TrySetResult(result);
                _waiting.RemoveAt(i);
            }
        }
    }

    /// <summary>True when the listener and what it references are all here, false when it does not exist, null while
    /// something is still on its way.</summary>
    private static bool? Complete(ProxyModel model, string listener)
    {
        var resources = model.Resources;
        if (resources.IsMissing(TypeUrls.Listener, listener)) return false;
        if (!model.Listeners.TryGetValue(listener, out var compiled)) return null;
        var table = compiled.InlineRoutes ?? (model.Routes.TryGetValue(compiled.RouteConfigName, out var routes) ? routes : null);
        if (table is null) return resources.IsMissing(TypeUrls.Route, compiled.RouteConfigName) ? true : null;
        var raw = resources.Get<RouteConfiguration>(TypeUrls.Route, compiled.RouteConfigName);
        foreach (var cluster in raw is null ? [] : ModelCompiler.ClustersOf(raw))
        {
            if (resources.IsMissing(TypeUrls.Cluster, cluster)) continue;
            if (resources.Get<Cluster>(TypeUrls.Cluster, cluster) is not { } held) return null;
            if (ModelCompiler.EndpointNameOf(held) is { } eds && !resources.Of(TypeUrls.Endpoint).ContainsKey(eds) && !resources.IsMissing(TypeUrls.Endpoint, eds)) return null;
        }
        return true;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Applied {Type} version {Version}: {Upserts} updated, {Removed} removed")]
    private static partial void LogApplied(ILogger logger, string type, string version, int upserts, int removed);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Rejected {Type} version {Version}, keeping the last good config: {Error}")]
    private static partial void LogRejected(ILogger logger, string type, string version, string error);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "No config for listener {Listener} within {Timeout}; the request is passed through")]
    private static partial void LogDiscoveryTimeout(ILogger logger, string listener, TimeSpan timeout);
}

/// <summary>The CPU that applying updates took (compiling, and YARP taking the clusters): how many, in total, and the
/// last one's, with its type.</summary>
public sealed record ApplyCost(long Count, TimeSpan Cpu, TimeSpan LastCpu, string? LastType);

/// <summary>Makes the upstream clusters of a model exist (YARP's clusters and destinations) before the model is served.</summary>
public interface IClusterSync
{
    Task Apply(ProxyModel model);
}
