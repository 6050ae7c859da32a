using Mesh.Api.V1;

namespace Mesh.Bench.XdsLoad;

/// <summary>The benchmark's mesh: S services (a ServiceEntry with two inline endpoints and a VirtualService
/// each) plus one shared service every stream also watches, whose VirtualService the change edits.</summary>
public static class BenchMesh
{
    public const string Namespace = "xdsbench";

    /// <summary>Where sidecars register their WorkloadEntries: apart from the 1,000s of ServiceEntries, because a
    /// WorkloadEntry write reconciles every ServiceEntry of its namespace (ConfigDependents), which at this scale
    /// stalls a silo (see bench/README.md, "Scale").</summary>
    public const string SidecarNamespace = "xdsbench-sidecars";

    public static string Host(int i) => $"svc-{i}.{Namespace}.svc.cluster.local";

    public static string SharedHost => Host(-1).Replace("svc--1", "shared");

    /// <summary>The hosts sidecar <paramref name="i"/> calls: its own service's, the shared one, and three more.</summary>
    public static IReadOnlyList<string> SidecarHosts(int i, int services) =>
        [.. new[] { i, i * 7 + 1, i * 13 + 2, i * 31 + 3 }.Select(n => Host(n % services)).Append(SharedHost).Distinct()];

    public static async Task Apply(ConfigService.ConfigServiceClient api, int services)
    {
        var batch = new List<string>();
        for (var i = -1; i < services; i++)
        {
            batch.Add(Service(i == -1 ? SharedHost : Host(i), i == -1 ? "shared" : $"svc-{i}", 90));
            if (batch.Count == 50 || i == services - 1)
            {
                await api.ApplyAsync(new ApplyRequest { Manifest = string.Join("---\n", batch) });
                batch.Clear();
            }
        }
    }

    public static string Service(string host, string name, int weight) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: {{{name}}}, namespace: {{{Namespace}}}}
        spec:
          hosts: [{{{host}}}]
          location: MESH_INTERNAL
          ports: [{number: 80, name: grpc, protocol: GRPC}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, labels: {version: v1}}, {address: 127.0.0.2, labels: {version: v2}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: {{{name}}}, namespace: {{{Namespace}}}}
        spec:
          host: {{{host}}}
          subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: {{{name}}}, namespace: {{{Namespace}}}}
        spec:
          hosts: [{{{host}}}]
          http:
          - route:
            - destination: {host: {{{host}}}, subset: v1}
              weight: {{{weight}}}
            - destination: {host: {{{host}}}, subset: v2}
              weight: {{{100 - weight}}}

        """;
}
