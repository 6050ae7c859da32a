using Mesh.Api.V1;
using Mesh.Grains.Services;

namespace Mesh.Silo.Api;

/// <summary>A service grain's endpoints → the API's <see cref="Mesh.Api.V1.ServiceEndpoints"/>.</summary>
public static class EndpointMapper
{
    public static Mesh.Api.V1.ServiceEndpoints ToApi(Mesh.Grains.Services.ServiceEndpoints endpoints)
    {
        var result = new Mesh.Api.V1.ServiceEndpoints { Host = endpoints.Host };
        result.ServiceEntries.Add(endpoints.ServiceEntries);
        foreach (var port in endpoints.Ports)
        {
            var mapped = new ServicePortEndpoints { Number = (uint)port.Port.Number, Name = port.Port.Name, Protocol = port.Port.Protocol };
            mapped.Endpoints.Add(port.Endpoints.Select(ToApi));
            foreach (var (subset, members) in port.Subsets)
            {
                var list = new ServiceEndpointList();
                list.Endpoints.Add(members.Select(ToApi));
                mapped.Subsets[subset] = list;
            }
            result.Ports.Add(mapped);
        }
        return result;
    }

    private static ServiceEndpoint ToApi(EndpointAddress address)
    {
        var endpoint = new ServiceEndpoint
        {
            Address = address.Address,
            Port = (uint)address.Port,
            Locality = address.Locality,
            Weight = (uint)address.Weight,
            Workload = address.WorkloadKey,
        };
        endpoint.Labels.Add(address.Labels);
        return endpoint;
    }
}
