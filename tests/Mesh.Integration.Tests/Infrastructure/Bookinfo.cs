namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>Istio's bookinfo <c>reviews</c> service as the YAML a user applies, written once for every test that
/// routes it: a ServiceEntry selecting <c>app: reviews</c>, WorkloadEntries per version, a DestinationRule with
/// subsets, a VirtualService.</summary>
public static class Bookinfo
{
    public const string Host = "reviews.bookinfo.svc.cluster.local";

    public static string ServiceEntry(string portName, string protocol) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          hosts: [{{{Host}}}]
          location: MESH_INTERNAL
          ports: [{number: 9080, name: {{{portName}}}, protocol: {{{protocol}}}}]
          resolution: STATIC
          workloadSelector: {labels: {app: reviews}}
        """;

    public static string WorkloadEntry(string version, int port, string portName) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: reviews-{{{version}}}, namespace: bookinfo}
        spec:
          address: 127.0.0.1
          ports: {{{{portName}}}: {{{port}}}}
          labels: {app: reviews, version: {{{version}}}}
        """;

    /// <summary>A subset per version; <paramref name="trafficPolicy"/> is YAML indented two spaces (under spec).</summary>
    public static string DestinationRule(IEnumerable<string> versions, string trafficPolicy = "") => $$$"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          host: reviews
        {{{trafficPolicy}}}
          subsets:
        {{{string.Join("\n", versions.Select(v => $"  - {{name: {v}, labels: {{version: {v}}}}}"))}}}
        """;

    /// <summary>A VirtualService for reviews; <paramref name="http"/> is the routes' YAML indented two spaces.</summary>
    public static string VirtualService(string http) => $$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          hosts: [reviews]
          http:
        {{http}}
        """;
}
