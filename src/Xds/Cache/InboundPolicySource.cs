using System.Collections.Concurrent;
using Mesh.Config.Kinds;
using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the security policy (PeerAuthentication, AuthorizationPolicy, RequestAuthentication)
/// and the WorkloadEntries of the namespaces its proxies live in: one change-feed subscription per namespace,
/// whatever the number of proxies; a feed that forgot the subscription (reactivated elsewhere) makes it re-read.</summary>
public sealed partial class InboundPolicySource : IConfigChangeObserver, IAsyncDisposable
{
    public static readonly IReadOnlySet<string> PolicyKinds = new HashSet<string>(StringComparer.Ordinal) { KindNames.PeerAuthentication, KindNames.AuthorizationPolicy, KindNames.RequestAuthentication };
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly ObserverSubscriptions<INamespaceFeedGrain, IConfigChangeObserver> _subscriptions;

    public InboundPolicySource(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<XdsOptions> options, ILogger<InboundPolicySource> logger)
    {
        _grains = grains;
        _logger = logger;
        _subscriptions = subscriptions.Add<INamespaceFeedGrain, IConfigChangeObserver>(this, new Renewal(options.Value.SubscriptionExpiry / 3, Resync));
    }

    /// <summary>Raised with a namespace whose policy or workloads changed. Handlers must not block.</summary>
    public event Action<string>? Changed;

    /// <summary>The namespace's security policies.</summary>
    public async Task<IReadOnlyList<ConfigSpec>> Policies(string @namespace)
    {
        var entry = await Load(@namespace);
        return [.. entry.Policies.Values];
    }

    /// <summary>The namespace's security policies if this silo holds them already; otherwise starts reading them (and
    /// raises <see cref="Changed"/> once read) and returns false.</summary>
    public bool TryPolicies(string @namespace, out IReadOnlyList<ConfigSpec> policies)
    {
        var entry = _namespaces.GetOrAdd(@namespace, ns => new Namespace(ns));
        Task? loading;
        lock (entry) loading = entry.Loading;
        if (loading is { IsCompletedSuccessfully: true })
        {
            policies = [.. entry.Policies.Values];
            return true;
        }
        policies = [];
        if (loading is null || loading.IsFaulted)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await Load(@namespace);
                    Changed?.Invoke(@namespace);
                }
                catch (Exception exception)
                {
                    LogReadFailed(_logger, @namespace, exception);
                }
            });
        }
        return false;
    }

    /// <summary>What policy needs of a WorkloadEntry (its labels and service account), or null when it does not exist.</summary>
    public async Task<WorkloadFacts?> Workload(string @namespace, string name)
    {
        var entry = await Load(@namespace);
        if (entry.Workloads.TryGetValue(name, out var known)) return known;
        var stored = await _grains.Config(KindNames.WorkloadEntry, @namespace, name).Get();
        var facts = stored is null ? null : WorkloadFacts.Of(stored);
        entry.Workloads[name] = facts;
        return facts;
    }

    public Task OnChanged(ConfigChange change)
    {
        if (!_namespaces.TryGetValue(change.Namespace, out var entry)) return Task.CompletedTask;
        if (PolicyKinds.Contains(change.Kind))
        {
            var key = change.Config.Key;
            if (change.Type == ChangeType.Deleted) entry.Policies.TryRemove(key, out _);
            else entry.Policies[key] = new ConfigSpec(key, change.Namespace, change.Config.SpecJson);
        }
        else if (change.Kind == KindNames.WorkloadEntry && entry.Workloads.ContainsKey(change.Name))
        {
            entry.Workloads[change.Name] = change.Type == ChangeType.Deleted ? null : WorkloadFacts.Of(change.Config);
        }
        else
        {
            return Task.CompletedTask;
        }
        Changed?.Invoke(change.Namespace);
        return Task.CompletedTask;
    }

    private async Task<Namespace> Load(string @namespace)
    {
        var entry = _namespaces.GetOrAdd(@namespace, ns => new Namespace(ns));
        Task loading;
        lock (entry) loading = entry.Loading ??= _subscriptions.Open(entry.Name, () => Read(entry));
        try
        {
            await loading;
        }
        catch
        {
            lock (entry) entry.Loading = null;
            throw;
        }
        return entry;
    }

    /// <summary>Reads the namespace's policies (once subscribed, so that no change falls between the two).</summary>
    private async Task<Namespace> Read(Namespace entry, bool replace = false)
    {
        // The first read fills the live map (a change arriving meanwhile lands in it too); a re-read fills a fresh one.
        var policies = replace ? new ConcurrentDictionary<string, ConfigSpec>(StringComparer.Ordinal) : entry.Policies;
        foreach (var kind in PolicyKinds)
        {
            var names = await _grains.ConfigIndex(kind, entry.Name).Names();
            var stored = await Task.WhenAll(names.Select(name => _grains.Config(kind, entry.Name, name).Get()));
            foreach (var config in stored.OfType<StoredConfig>())
            {
                policies[config.Key] = new ConfigSpec(config.Key, entry.Name, config.SpecJson);
            }
        }
        entry.Policies = policies;
        if (replace) entry.Workloads = new ConcurrentDictionary<string, WorkloadFacts?>(StringComparer.Ordinal);
        return entry;
    }

    /// <summary>The feed forgot this silo: whatever it published meanwhile was lost to us. Reads into fresh maps
    /// and swaps, so that no translation meanwhile sees an empty (allow-all) policy.</summary>
    private async Task Resync(string @namespace)
    {
        await Read(_namespaces.GetOrAdd(@namespace, ns => new Namespace(ns)), replace: true);
        Changed?.Invoke(@namespace);
    }

    public ValueTask DisposeAsync() => _subscriptions.DisposeAsync();

    private sealed class Namespace(string name)
    {
        public string Name => name;
        public Task? Loading { get; set; }
        public ConcurrentDictionary<string, ConfigSpec> Policies { get; set; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, WorkloadFacts?> Workloads { get; set; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = 5410, Level = LogLevel.Warning, Message = "Could not read the security policy of namespace {Namespace}; retrying when next asked")]
    private static partial void LogReadFailed(ILogger logger, string @namespace, Exception exception);
}
