using Mesh.Api.V1;

namespace Mesh.Bench.KubeLoad;

/// <summary>The reference: the same mesh written through Mesh's management API (what <c>meshctl apply</c> calls),
/// a ServiceEntry with inline endpoints and a DestinationRule per service. A change's write returns once the config
/// grain stored it durably.</summary>
public sealed class ApiPath(ConfigService.ConfigServiceClient api) : IMeshPath
{
    public const string Namespace = "kref";
    private const int Mesh = 2;

    public string Name => "management API";

    public string Host(int service) => $"{KubeObjects.Name(service)}.{Namespace}.svc.cluster.local";

    public string AddedAddress(int service) => MeshShape.Address(Mesh, service, 2);

    public async Task Seed(int services)
    {
        foreach (var chunk in Enumerable.Range(0, services).Chunk(50))
        {
            var manifest = string.Join("---\n", chunk.Select(i => ServiceEntry(i, withAdded: false) + "---\n" + DestinationRule(i, MeshShape.InitialMaxConnections)));
            await api.ApplyAsync(new ApplyRequest { Manifest = manifest });
        }
    }

    public async Task WriteEndpoints(int service, bool withAdded) =>
        await api.ApplyAsync(new ApplyRequest { Manifest = ServiceEntry(service, withAdded) });

    public async Task WriteMaxConnections(int service, int value) =>
        await api.ApplyAsync(new ApplyRequest { Manifest = DestinationRule(service, value) });

    private string ServiceEntry(int service, bool withAdded)
    {
        var endpoints = Enumerable.Range(0, withAdded ? 3 : 2).Select(i => $"{{address: {MeshShape.Address(Mesh, service, i)}, labels: {{version: v{i}}}}}");
        return $$$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: {{{KubeObjects.Name(service)}}}, namespace: {{{Namespace}}} }
            spec:
              hosts: [{{{Host(service)}}}]
              location: MESH_INTERNAL
              ports: [{number: {{{MeshShape.Port}}}, name: http, protocol: HTTP, targetPort: {{{MeshShape.TargetPort}}} }]
              resolution: STATIC
              endpoints: [{{{string.Join(", ", endpoints)}}}]

            """;
    }

    private string DestinationRule(int service, int maxConnections) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: {{{KubeObjects.Name(service)}}}, namespace: {{{Namespace}}} }
        spec:
          host: {{{Host(service)}}}
          trafficPolicy: {connectionPool: {tcp: {maxConnections: {{{maxConnections}}} } } }

        """;
}
