using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Kubernetes.Registry;
using Mesh.Kubernetes.Status;

namespace Mesh.Kubernetes.Source;

/// <summary>Everything the source's watches hold, as one observer of them all: the registry's objects as a
/// <see cref="ClusterSnapshot"/>, and each object of a Mesh kind read into its validated resource (or its refusal).
/// <see cref="Desired"/> is the config it stands for. Thread-safe: each watch calls it from its own loop.</summary>
public sealed class ClusterState(IReadOnlyDictionary<ApiResource, ResourceKind> meshKinds, IReadOnlyCollection<ApiResource> watched, Action changed) : IResourceObserver
{
    private readonly object _gate = new();
    private readonly HashSet<ApiResource> _synced = [];
    private readonly Dictionary<string, Resource> _meshResources = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private List<SourcedChange> _unreported = [];
    private bool _relisted;

    /// <summary>Whether every watched kind has completed its first list: until then the desired set is partial, and
    /// a sync would delete what is only not read yet.</summary>
    public bool IsComplete
    {
        get { lock (_gate) return watched.All(_synced.Contains); }
    }

    public IReadOnlyCollection<string> Namespaces
    {
        get { lock (_gate) return [.. _namespaces]; }
    }

    /// <summary>The config the cluster stands for now, by resource key: the registry's ServiceEntries and
    /// WorkloadEntries, and the accepted Mesh-kind objects; with what the registry refused, and the keys of Mesh-kind
    /// objects whose current generation validation refused (<c>Kept</c>): whatever is stored for those stays, so a bad
    /// edit that got past the webhook leaves the proxies on the last accepted generation, as their status says.</summary>
    public (IReadOnlyDictionary<string, Resource> Resources, IReadOnlyList<RegistryProblem> Problems, IReadOnlySet<string> Kept) Desired()
    {
        ClusterSnapshot snapshot;
        List<Resource> mesh;
        HashSet<string> kept;
        lock (_gate)
        {
            snapshot = _snapshot;
            mesh = [.. _meshResources.Values];
            kept = new HashSet<string>(_refused, StringComparer.Ordinal);
        }
        var registry = RegistryMapping.Map(snapshot);
        var desired = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var resource in registry.Resources.Concat(mesh)) desired[resource.Key] = resource;
        return (desired, registry.Problems, kept);
    }

    /// <summary>What the status writer is to hear since the last call, and whether a list (the first one or a
    /// re-list after 410) happened since, in which case the writer reconciles against what is stored.</summary>
    public (IReadOnlyList<SourcedChange> Changes, bool Relisted) Take()
    {
        lock (_gate)
        {
            var taken = (_unreported, _relisted);
            _unreported = [];
            _relisted = false;
            return taken;
        }
    }

    public Task Upserted(ApiResource resource, JsonObject obj, CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (meshKinds.TryGetValue(resource, out var kind))
            {
                var (accepted, report) = SourcedDocuments.Read(kind, obj);
                var key = Key(kind, report.Namespace, report.Name);
                if (accepted is null)
                {
                    _meshResources.Remove(key);
                    _refused.Add(key);
                }
                else
                {
                    _meshResources[key] = accepted;
                    _refused.Remove(key);
                }
                _unreported.Add(new SourcedChange(report, null));
            }
            else if (resource == SourceKinds.Namespaces) _namespaces.Add(ApiObjects.Name(obj));
            else _snapshot = _snapshot.With(Typed(resource, obj));
        }
        changed();
        return Task.CompletedTask;
    }

    public Task Deleted(ApiResource resource, JsonObject obj, CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (meshKinds.TryGetValue(resource, out var kind))
            {
                var ns = kind.StoredNamespace(ApiObjects.Namespace(obj));
                var key = Key(kind, ns, ApiObjects.Name(obj));
                _meshResources.Remove(key);
                _refused.Remove(key);
                _unreported.Add(new SourcedChange(null, (kind, ns, ApiObjects.Name(obj))));
            }
            else if (resource == SourceKinds.Namespaces) _namespaces.Remove(ApiObjects.Name(obj));
            else _snapshot = _snapshot.Without(Typed(resource, obj));
        }
        changed();
        return Task.CompletedTask;
    }

    public Task Synced(ApiResource resource, string resourceVersion, CancellationToken cancellation)
    {
        lock (_gate)
        {
            _synced.Add(resource);
            _relisted = true;
        }
        changed();
        return Task.CompletedTask;
    }

    private static string Key(ResourceKind kind, string ns, string name) => Mesh.Config.Keys.ResourceKey.Of(kind.Kind, ns, name);

    private static IKubernetesObject<V1ObjectMeta> Typed(ApiResource resource, JsonObject obj)
    {
        var json = obj.ToJsonString();
        if (resource == SourceKinds.Services) return KubernetesJson.Deserialize<V1Service>(json);
        if (resource == SourceKinds.EndpointSlices) return KubernetesJson.Deserialize<V1EndpointSlice>(json);
        if (resource == SourceKinds.Pods) return KubernetesJson.Deserialize<V1Pod>(json);
        if (resource == SourceKinds.Nodes) return KubernetesJson.Deserialize<V1Node>(json);
        throw new ArgumentException($"the source does not read {resource}", nameof(resource));
    }
}

/// <summary>One thing the status writer is to hear: an object read (accepted or refused), or one gone.</summary>
public sealed record SourcedChange(SourcedObject? Observed, (ResourceKind Kind, string Namespace, string Name)? Removed);
