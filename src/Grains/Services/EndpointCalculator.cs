using Mesh.Grains.Endpoints;

namespace Mesh.Grains.Services;

/// <summary>Turns a service's entries, selected workloads and subsets into endpoints per port and subset.</summary>
public static class EndpointCalculator
{
    public static ServiceEndpoints Calculate(string host, ServiceState state)
    {
        var subsets = state.Subsets.Values.SelectMany(s => s).GroupBy(s => s.Name).Select(g => g.First()).ToList();
        var ports = new List<PortEndpoints>();
        foreach (var port in state.Entries.Values.SelectMany(e => e.Ports).GroupBy(p => p.Number).Select(g => g.First()).OrderBy(p => p.Number))
        {
            var endpoints = new List<EndpointAddress>();
            foreach (var entry in state.Entries.Values.Where(e => e.Ports.Any(p => p.Number == port.Number)))
            {
                var selected = state.Selected.TryGetValue(entry.Key, out var workloads) ? workloads.Values : Enumerable.Empty<WorkloadInfo>();
                endpoints.AddRange(entry.InlineEndpoints.Concat(selected)
                    .Where(w => w.Address.Length > 0)
                    .Select(w => Address(w, port)));
            }
            endpoints = [.. endpoints.DistinctBy(e => (e.Address, e.Port)).OrderBy(e => e.Address, StringComparer.Ordinal).ThenBy(e => e.Port)];
            var bySubset = subsets.ToDictionary(
                s => s.Name,
                s => endpoints.Where(e => s.Labels.All(l => e.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList());
            ports.Add(new PortEndpoints(port, endpoints, bySubset));
        }
        return new ServiceEndpoints(host, ports, [.. state.Entries.Keys.Order(StringComparer.Ordinal)]);
    }

    private static EndpointAddress Address(WorkloadInfo workload, ServicePort port)
    {
        var number = workload.Ports.TryGetValue(port.Name, out var mapped) && mapped > 0 ? mapped
            : port.TargetPort > 0 ? port.TargetPort
            : port.Number;
        return new EndpointAddress(workload.Key, workload.Address, number, workload.Locality, workload.Weight > 0 ? workload.Weight : 1, workload.Labels, workload.ServiceAccount);
    }
}
