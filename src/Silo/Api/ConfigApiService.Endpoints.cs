using Mesh.Config.Validation.Rules;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Grains.Services;

namespace Mesh.Silo.Api;

public sealed partial class ConfigApiService
{
    public override async Task<Mesh.Api.V1.ServiceEndpoints> GetServiceEndpoints(GetServiceEndpointsRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Host)) throw ApiErrors.Invalid("a host is required, for example reviews.bookinfo.svc.cluster.local");
        var ns = RequireNamespace(string.IsNullOrEmpty(request.Namespace) ? "default" : request.Namespace);
        var host = HostNames.Qualify(request.Host.Trim().ToLowerInvariant(), ns);
        var endpoints = await grains.GetGrain<IServiceGrain>(host).GetEndpoints();
        if (endpoints.ServiceEntries.Count == 0) throw ApiErrors.NotFound($"no ServiceEntry declares host \"{host}\"");
        return EndpointMapper.ToApi(endpoints);
    }
}
