namespace Mesh.Grains.Endpoints;

/// <summary>Value equality for <see cref="WorkloadInfo"/>: records compare their dictionaries by reference, and a
/// copy that arrived in a call is never the same reference.</summary>
public static class WorkloadEquality
{
    public static bool Same(WorkloadInfo? a, WorkloadInfo? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Key == b.Key && a.Namespace == b.Namespace && a.Address == b.Address && a.Locality == b.Locality
              && a.Network == b.Network && a.Weight == b.Weight && a.ServiceAccount == b.ServiceAccount
              && SameMap(a.Ports, b.Ports) && SameMap(a.Labels, b.Labels);

    private static bool SameMap<TValue>(Dictionary<string, TValue> a, Dictionary<string, TValue> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && EqualityComparer<TValue>.Default.Equals(value, pair.Value));
}
