namespace Mesh.Bench.KubeLoad;

/// <summary>The changes measured, each the write that makes it and what the xDS client must see for it to count as arrived.</summary>
public sealed record ChangeKind(string Name, Func<IMeshPath, int, int, Task> Write, Func<ClusterWatch, IMeshPath, int, int, Task<long>> Seen)
{
    /// <summary>A third endpoint in the service's EndpointSlice / ServiceEntry: EDS holds its address.</summary>
    public static ChangeKind EndpointAdded { get; } = new("endpoint added (EDS)",
        (path, service, _) => path.WriteEndpoints(service, withAdded: true),
        (watch, path, service, _) => watch.UntilEndpoints(path.Host(service), a => a.Count == 3 && a.Contains(path.AddedAddress(service))));

    /// <summary>The third endpoint gone again: EDS no longer holds it.</summary>
    public static ChangeKind EndpointRemoved { get; } = new("endpoint removed (EDS)",
        (path, service, _) => path.WriteEndpoints(service, withAdded: false),
        (watch, path, service, _) => watch.UntilEndpoints(path.Host(service), a => a.Count == 2 && !a.Contains(path.AddedAddress(service))));

    /// <summary>The DestinationRule's connection pool: CDS holds the cluster with the new circuit breaker threshold.</summary>
    public static ChangeKind DestinationRuleEdited { get; } = new("DestinationRule edited (CDS)",
        (path, service, value) => path.WriteMaxConnections(service, value),
        (watch, path, service, value) => watch.UntilMaxConnections(path.Host(service), value));

    public static IReadOnlyList<ChangeKind> All { get; } = [EndpointAdded, EndpointRemoved, DestinationRuleEdited];
}
