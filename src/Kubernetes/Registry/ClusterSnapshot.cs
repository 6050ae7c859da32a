using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace Mesh.Kubernetes.Registry;

/// <summary>The Kubernetes objects the registry is computed from, as of one moment: the latest version of each
/// Service, EndpointSlice, Pod and Node seen. Immutable; <see cref="With"/> and <see cref="Without"/> return the next
/// snapshot. Since the registry is a function of the snapshot alone, the order events arrived in cannot matter.</summary>
public sealed record ClusterSnapshot
{
    public static readonly ClusterSnapshot Empty = new();

    /// <summary>By <c>namespace/name</c>.</summary>
    public ImmutableSortedDictionary<string, V1Service> Services { get; private init; } = Sorted<V1Service>();
    public ImmutableSortedDictionary<string, V1EndpointSlice> EndpointSlices { get; private init; } = Sorted<V1EndpointSlice>();
    public ImmutableSortedDictionary<string, V1Pod> Pods { get; private init; } = Sorted<V1Pod>();

    /// <summary>By name (nodes have no namespace).</summary>
    public ImmutableSortedDictionary<string, V1Node> Nodes { get; private init; } = Sorted<V1Node>();

    public static ClusterSnapshot Of(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        objects.Aggregate(Empty, (snapshot, o) => snapshot.With(o));

    /// <summary>This snapshot with <paramref name="obj"/> added or replacing its previous version.</summary>
    public ClusterSnapshot With(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        V1Service s => this with { Services = Services.SetItem(Key(s), s) },
        V1EndpointSlice e => this with { EndpointSlices = EndpointSlices.SetItem(Key(e), e) },
        V1Pod p => this with { Pods = Pods.SetItem(Key(p), p) },
        V1Node n => this with { Nodes = Nodes.SetItem(n.Name(), n) },
        _ => throw new ArgumentException($"the registry does not read {obj.Kind ?? obj.GetType().Name} objects", nameof(obj)),
    };

    /// <summary>This snapshot without <paramref name="obj"/> (a delete event; its content does not matter).</summary>
    public ClusterSnapshot Without(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        V1Service s => this with { Services = Services.Remove(Key(s)) },
        V1EndpointSlice e => this with { EndpointSlices = EndpointSlices.Remove(Key(e)) },
        V1Pod p => this with { Pods = Pods.Remove(Key(p)) },
        V1Node n => this with { Nodes = Nodes.Remove(n.Name()) },
        _ => throw new ArgumentException($"the registry does not read {obj.Kind ?? obj.GetType().Name} objects", nameof(obj)),
    };

    public static string Key(IKubernetesObject<V1ObjectMeta> obj) => Key(obj.Namespace() ?? "default", obj.Name());

    public static string Key(string @namespace, string name) => $"{@namespace}/{name}";

    private static ImmutableSortedDictionary<string, T> Sorted<T>() => ImmutableSortedDictionary.Create<string, T>(StringComparer.Ordinal);
}
