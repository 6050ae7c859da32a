using Mesh.Grains.Endpoints;
using Mesh.Grains.Services;
using Mesh.Config.Keys;
using Mesh.Config.Kinds;

namespace Mesh.Grains.Config;

/// <summary>Keeps service and endpoint grains in step with the config they derive from: ServiceEntries,
/// WorkloadEntries and DestinationRules.</summary>
public sealed class ConfigDependents(IGrainFactory grains)
{
    public Task OnChanged(string kind, StoredConfig? before, StoredConfig? after) => kind switch
    {
        KindNames.ServiceEntry => ServiceEntryChanged(before, after),
        KindNames.WorkloadEntry => WorkloadEntryChanged(before, after),
        KindNames.DestinationRule => DestinationRuleChanged(before, after),
        KindNames.VirtualService => VirtualServiceChanged(before, after),
        _ => Task.CompletedTask,
    };

    private async Task ServiceEntryChanged(StoredConfig? before, StoredConfig? after)
    {
        var oldHosts = before is null ? [] : ServiceEntryReader.Hosts(before);
        var newHosts = after is null ? [] : ServiceEntryReader.Hosts(after);
        var key = (before ?? after)!.Key;
        foreach (var host in oldHosts.Except(newHosts))
        {
            await grains.GetGrain<IServiceGrain>(host).RemoveServiceEntry(key);
        }
        if (after is null) return;

        var view = ServiceEntryReader.View(after);
        var selected = view.WorkloadSelector is null
            ? []
            : (await Workloads(after.Namespace)).Where(w => ServiceEntryReader.Selects(view.WorkloadSelector, w)).ToList();
        await Task.WhenAll(newHosts.Select(host => grains.GetGrain<IServiceGrain>(host).SetServiceEntry(view, selected)));
    }

    private async Task WorkloadEntryChanged(StoredConfig? before, StoredConfig? after)
    {
        var config = (after ?? before)!;
        var endpoint = grains.GetGrain<IEndpointGrain>(WorkloadKey.Of(config.Namespace, config.Name));
        var oldWorkload = before is null ? null : ServiceEntryReader.WorkloadEntry(before);
        var newWorkload = after is null ? null : ServiceEntryReader.WorkloadEntry(after);
        if (newWorkload is null) await endpoint.Remove();
        else await endpoint.Set(newWorkload);

        foreach (var entry in await grains.ReadConfigs(KindNames.ServiceEntry, config.Namespace))
        {
            var view = ServiceEntryReader.View(entry);
            var selectsNew = newWorkload is not null && ServiceEntryReader.Selects(view.WorkloadSelector, newWorkload);
            var selectedOld = oldWorkload is not null && ServiceEntryReader.Selects(view.WorkloadSelector, oldWorkload);
            if (!selectsNew && !selectedOld) continue;
            foreach (var host in ServiceEntryReader.Hosts(entry))
            {
                var service = grains.GetGrain<IServiceGrain>(host);
                if (selectsNew) await service.SetWorkload(entry.Key, newWorkload!);
                else await service.RemoveWorkload(entry.Key, oldWorkload!.Key);
            }
        }
    }

    private async Task DestinationRuleChanged(StoredConfig? before, StoredConfig? after)
    {
        var key = (before ?? after)!.Key;
        var oldHost = before is null ? null : StoredSpecs.DestinationRule(before).QualifiedHost(before.Namespace);
        if (after is null)
        {
            if (oldHost is not null) await grains.GetGrain<IServiceGrain>(oldHost).RemoveSubsets(key);
            return;
        }
        var rule = StoredSpecs.DestinationRule(after);
        var host = rule.QualifiedHost(after.Namespace);
        var subsets = rule.Subsets.Select(s => new SubsetView(s.Name, new Dictionary<string, string>(s.Labels))).ToList();
        if (oldHost is not null && oldHost != host) await grains.GetGrain<IServiceGrain>(oldHost).RemoveSubsets(key);
        await grains.GetGrain<IServiceGrain>(host).SetDestinationRule(new ConfigSpec(key, after.Namespace, after.SpecJson), subsets);
    }

    private async Task VirtualServiceChanged(StoredConfig? before, StoredConfig? after)
    {
        var key = (before ?? after)!.Key;
        var oldHosts = before is null ? [] : StoredSpecs.VirtualService(before).ServiceHosts(before.Namespace);
        var newHosts = after is null ? [] : StoredSpecs.VirtualService(after).ServiceHosts(after.Namespace);
        foreach (var host in oldHosts.Except(newHosts))
        {
            await grains.GetGrain<IServiceGrain>(host).RemoveVirtualService(key);
        }
        if (after is null) return;
        var spec = new ConfigSpec(key, after.Namespace, after.SpecJson);
        await Task.WhenAll(newHosts.Select(host => grains.GetGrain<IServiceGrain>(host).SetVirtualService(spec)));
    }

    private async Task<List<WorkloadInfo>> Workloads(string @namespace)
    {
        var names = await grains.ConfigIndex(KindNames.WorkloadEntry, @namespace).Names();
        var workloads = await Task.WhenAll(names.Select(name => grains.GetGrain<IEndpointGrain>(WorkloadKey.Of(@namespace, name)).Get()));
        return [.. workloads.OfType<WorkloadInfo>()];
    }
}
