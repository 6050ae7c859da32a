using Mesh.Config.Manifests;
using Mesh.Config.Validation;

namespace Mesh.Kubernetes.Registry;

/// <summary>The Mesh config a <see cref="ClusterSnapshot"/> stands for: what the Kubernetes source keeps in the config
/// grains (see <see cref="RegistryMapping"/> for the shape), what it holds back, and what it refused.</summary>
public sealed record KubernetesRegistry(IReadOnlyList<ServiceRegistration> Services, IReadOnlyList<RegistryProblem> Problems)
{
    /// <summary>What the source writes: each Service's ServiceEntry and the WorkloadEntries of its healthy endpoints,
    /// ordered by key. Anything of its own it finds stored and not listed here is deleted.</summary>
    public IEnumerable<Resource> Resources => Services
        .SelectMany(s => s.Endpoints.Where(e => e.Health == EndpointHealth.Healthy).Select(e => e.WorkloadEntry).Prepend(s.ServiceEntry))
        .OrderBy(r => r.Key, StringComparer.Ordinal);

    /// <summary>Endpoints whose pod has not been seen yet, across all Services.</summary>
    public IEnumerable<PendingEndpoint> Pending => Services.SelectMany(s => s.Pending);
}

/// <summary>One Service: its ServiceEntry, its endpoints (every one, with its health), and those held back.</summary>
/// <param name="Service"><c>namespace/name</c> of the Service.</param>
public sealed record ServiceRegistration(
    string Service,
    Resource ServiceEntry,
    IReadOnlyList<EndpointRegistration> Endpoints,
    IReadOnlyList<PendingEndpoint> Pending);

/// <summary>One endpoint of a Service as a WorkloadEntry, with the health its conditions give it.</summary>
/// <param name="Pod"><c>namespace/name</c> of the pod behind it; null for an endpoint without a pod (a Service with no
/// selector and hand-written slices).</param>
public sealed record EndpointRegistration(Resource WorkloadEntry, EndpointHealth Health, string? Pod);

/// <summary>An endpoint whose pod has not arrived (or is an older pod of the same name): held back until it does,
/// because its labels and service account, and so its subsets and identity, are unknown until then.</summary>
public sealed record PendingEndpoint(string Service, string Address, string Pod);

/// <summary>An object the registry could not turn into config, with the field at fault.</summary>
/// <param name="Source">The Kubernetes object, as <c>Service bookinfo/reviews</c>.</param>
public sealed record RegistryProblem(string Source, FieldError Error)
{
    public override string ToString() => $"{Source}: {Error}";
}
