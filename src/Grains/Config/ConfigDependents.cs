using Mesh.Grains.ApiPolicies;
using Mesh.Grains.Endpoints;
using Mesh.Grains.GatewayApi;
using Mesh.Grains.Gateways;
using Mesh.Grains.Services;
using Mesh.Config.Keys;
using Mesh.Config.Kinds;

namespace Mesh.Grains.Config;

/// <summary>Makes the service and gateway grains derived from one config resource (ServiceEntry, WorkloadEntry,
/// DestinationRule, VirtualService, Gateway, and the Gateway API kinds through <see cref="IGatewayApiGrain"/>) match what is stored now. Level-triggered: it looks only at the current version
/// and at the hosts older versions may have reached, never at what changed, so running it again, late or twice, is
/// always safe; that is what lets the outbox replay it after any failure.</summary>
public sealed class ConfigDependents(IGrainFactory grains)
{
    /// <summary>The service hosts (and, for a VirtualService, the gateway keys, see <see cref="GatewayTargets"/>) the
    /// resource's derived state goes to, as far as its own spec tells (every kind but WorkloadEntry, whose hosts are
    /// those of the ServiceEntries that select it: see <see cref="Targets"/>). A Gateway's derived state is its own
    /// grain and directory entry, reached by its key.</summary>
    public static IReadOnlyList<string> Hosts(string kind, StoredConfig? config) => config is null ? [] : kind switch
    {
        KindNames.ServiceEntry => ServiceEntryReader.Targets(config),
        KindNames.DestinationRule => [StoredSpecs.DestinationRule(config).QualifiedHost(config.Namespace)],
        KindNames.VirtualService => VirtualServiceTargets(config),
        _ => [],
    };

    private static IReadOnlyList<string> VirtualServiceTargets(StoredConfig config)
    {
        var view = StoredSpecs.VirtualService(config);
        return [.. view.ServiceHosts(config.Namespace), .. GatewayTargets.Of(view, config.Namespace)];
    }

    /// <summary>The service hosts the current version's derived state goes to.</summary>
    public async Task<IReadOnlyList<string>> Targets(ResourceKey key, StoredConfig? current)
    {
        if (key.Kind != KindNames.WorkloadEntry) return Hosts(key.Kind, current);
        if (current is null) return [];
        var workload = ServiceEntryReader.WorkloadEntry(current);
        return [.. (await grains.ReadConfigs(KindNames.ServiceEntry, key.Namespace))
            .Where(entry => ServiceEntryReader.Selects(ServiceEntryReader.View(entry).WorkloadSelector, workload))
            .SelectMany(ServiceEntryReader.Targets)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <param name="key">The resource.</param>
    /// <param name="current">What is stored; null once deleted.</param>
    /// <param name="reached">Hosts that may hold derived state of this or an older version (a superset of the
    /// current version's <see cref="Targets"/>).</param>
    public Task Reconcile(ResourceKey key, StoredConfig? current, IReadOnlyCollection<string> reached) => key.Kind switch
    {
        KindNames.ServiceEntry => ServiceEntryAndRoutes(key, current, reached),
        KindNames.WorkloadEntry => WorkloadEntry(key, current, reached),
        KindNames.DestinationRule => DestinationRule(key, current, reached),
        KindNames.VirtualService => VirtualService(key, current, reached),
        KindNames.Gateway => Gateway(key, current),
        // The Gateway API is converted as a whole: its grain feeds the gateway grains of Mesh's Gateways.
        KindNames.GatewayClass or KindNames.GatewayApiGateway or KindNames.HttpRoute or KindNames.GrpcRoute or KindNames.ReferenceGrant
            => grains.GetGrain<IGatewayApiGrain>(IGatewayApiGrain.Key).Set(key.ToString(), current),
        KindNames.ApiPolicy => ApiPolicy(key, current),
        _ => Task.CompletedTask,
    };

    /// <summary>The service grains first, then the Gateway API grain, which reads them for its routes' backends.</summary>
    private async Task ServiceEntryAndRoutes(ResourceKey key, StoredConfig? current, IReadOnlyCollection<string> reached)
    {
        await ServiceEntry(key, current, reached);
        await grains.GetGrain<IGatewayApiGrain>(IGatewayApiGrain.Key).ServicesChanged(key.Namespace);
    }

    private async Task ServiceEntry(ResourceKey key, StoredConfig? current, IReadOnlyCollection<string> reached)
    {
        var hosts = Hosts(key.Kind, current);
        await Leave(reached, hosts, service => service.RemoveServiceEntry(key.ToString()));
        if (current is null) return;

        var view = ServiceEntryReader.View(current);
        var selected = view.WorkloadSelector is null
            ? []
            : (await Workloads(current.Namespace)).Where(w => ServiceEntryReader.Selects(view.WorkloadSelector, w)).ToList();
        await Task.WhenAll(hosts.Select(host => Service(host).SetServiceEntry(view, selected)));
    }

    private async Task WorkloadEntry(ResourceKey key, StoredConfig? current, IReadOnlyCollection<string> reached)
    {
        var workloadKey = WorkloadKey.Of(key.Namespace, key.Name);
        var workload = current is null ? null : ServiceEntryReader.WorkloadEntry(current);
        // Every ServiceEntry of the namespace either selects the workload as it is now, or must not hold it; only the
        // hosts it reached can, so the others are not called (a namespace of 1,000 entries costs reads, not calls).
        var updates = new List<Task>();
        foreach (var entry in await grains.ReadConfigs(KindNames.ServiceEntry, key.Namespace))
        {
            var view = ServiceEntryReader.View(entry);
            var selects = workload is not null && ServiceEntryReader.Selects(view.WorkloadSelector, workload);
            var hosts = ServiceEntryReader.Targets(entry);
            updates.AddRange(selects
                ? hosts.Select(host => Service(host).SetWorkload(entry.Key, workload!))
                : hosts.Where(reached.Contains).Select(host => Service(host).RemoveWorkload(entry.Key, workloadKey)));
        }
        await Task.WhenAll(updates);
    }

    private async Task DestinationRule(ResourceKey key, StoredConfig? current, IReadOnlyCollection<string> reached)
    {
        var hosts = Hosts(key.Kind, current);
        await Leave(reached, hosts, service => service.RemoveSubsets(key.ToString()));
        if (current is null) return;
        var rule = StoredSpecs.DestinationRule(current);
        var subsets = rule.Subsets.Select(s => new SubsetView(s.Name, new Dictionary<string, string>(s.Labels))).ToList();
        await Service(hosts[0]).SetDestinationRule(new ConfigSpec(key.ToString(), current.Namespace, current.SpecJson), subsets);
    }

    private async Task VirtualService(ResourceKey key, StoredConfig? current, IReadOnlyCollection<string> reached)
    {
        var targets = Hosts(key.Kind, current);
        var (gateways, hosts) = (targets.Where(GatewayTargets.Is).ToList(), targets.Where(t => !GatewayTargets.Is(t)).ToList());
        var (reachedGateways, reachedHosts) = (reached.Where(GatewayTargets.Is).ToList(), reached.Where(t => !GatewayTargets.Is(t)).ToList());
        await Task.WhenAll(
            Leave(reachedHosts, hosts, service => service.RemoveVirtualService(key.ToString())),
            Task.WhenAll(reachedGateways.Except(gateways, StringComparer.Ordinal).Select(g => Gateway(g).RemoveRoute(key.ToString()))));
        if (current is null) return;
        var spec = new ConfigSpec(key.ToString(), current.Namespace, current.SpecJson);
        await Task.WhenAll(hosts.Select(host => Service(host).SetVirtualService(spec)).Concat(gateways.Select(g => Gateway(g).SetRoute(spec))));
    }

    /// <summary>The Gateway's own grain holds its spec, the directory what it selects (any namespace, as Istio).</summary>
    private async Task Gateway(ResourceKey key, StoredConfig? current)
    {
        var directory = grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.Key);
        if (current is null)
        {
            await Task.WhenAll(Gateway(key.ToString()).RemoveGateway(), directory.Remove(key.ToString()));
            return;
        }
        var view = StoredSpecs.Gateway(current);
        await Task.WhenAll(
            Gateway(key.ToString()).SetGateway(new ConfigSpec(key.ToString(), current.Namespace, current.SpecJson)),
            directory.Set(new GatewaySelection(key.ToString(), new Dictionary<string, string>(view.Selector), null)));
    }

    /// <summary>An ApiPolicy goes to the one policy directory; gateway translation resolves its targets.</summary>
    private Task ApiPolicy(ResourceKey key, StoredConfig? current)
    {
        var directory = grains.GetGrain<IApiPolicyDirectoryGrain>(IApiPolicyDirectoryGrain.Key);
        return current is null ? directory.Remove(key.ToString()) : directory.Set(new ConfigSpec(key.ToString(), current.Namespace, current.SpecJson));
    }

    private IGatewayGrain Gateway(string gatewayKey) => grains.GetGrain<IGatewayGrain>(gatewayKey);

    /// <summary>Takes the resource off every host it reached that it no longer names.</summary>
    private Task Leave(IReadOnlyCollection<string> reached, IReadOnlyList<string> hosts, Func<IServiceGrain, Task> remove) =>
        Task.WhenAll(reached.Except(hosts, StringComparer.Ordinal).Select(host => remove(Service(host))));

    private IServiceGrain Service(string host) => grains.GetGrain<IServiceGrain>(host);

    /// <summary>The namespace's workloads, read from their WorkloadEntries themselves (the source of truth), so a
    /// ServiceEntry never selects from state that is itself behind.</summary>
    private async Task<List<WorkloadInfo>> Workloads(string @namespace) =>
        [.. (await grains.ReadConfigs(KindNames.WorkloadEntry, @namespace)).Select(ServiceEntryReader.WorkloadEntry)];
}
