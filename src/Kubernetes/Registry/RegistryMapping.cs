using k8s.Models;
using Mesh.Config.Manifests;

namespace Mesh.Kubernetes.Registry;

/// <summary>The registry as istiod builds it from Kubernetes, as Mesh's own config: a pure function of a
/// <see cref="ClusterSnapshot"/>, so that the same objects give the same config whatever order their events came in.</summary>
/// <remarks>
/// <para>Each Service <c>NAME</c> in <c>NS</c> becomes a <b>ServiceEntry</b> <c>NS/NAME</c>:</para>
/// <list type="bullet">
/// <item><c>hosts: [NAME.NS.svc.cluster.local]</c>; <c>addresses</c>: its cluster IPs (both on a dual-stack Service,
/// none on a headless one); <c>ports</c>: each port with its number, name (an unnamed lone port is named
/// <c>PROTOCOL-NUMBER</c>), numeric targetPort, and protocol (<see cref="PortProtocols"/>);</item>
/// <item><c>location: MESH_INTERNAL</c>, <c>resolution: STATIC</c>, and <c>workloadSelector</c> on
/// <see cref="RegistryNames.ServiceLabel"/><c>: NAME</c>, which only the WorkloadEntries below carry;</item>
/// <item>an <c>ExternalName</c> Service instead: <c>location: MESH_EXTERNAL</c>, <c>resolution: DNS</c>, one endpoint
/// at its external name, no addresses, no selector;</item>
/// <item><c>exportTo</c> from the <see cref="RegistryNames.ExportToAnnotation"/> annotation.</item>
/// </list>
/// <para>Each endpoint of its EndpointSlices becomes a <b>WorkloadEntry</b> <c>NS/NAME-ADDRESS</c>
/// (<see cref="RegistryNames.WorkloadEntryName"/>): its address; <c>ports</c> by Service port name with the slice's
/// (target) numbers; <c>labels</c>: its pod's labels (so DestinationRule subsets match pod labels) plus the Service
/// label; <c>locality</c> (<see cref="EndpointLocality"/>); <c>serviceAccount</c> from the pod, which makes its
/// identity <c>spiffe://TRUST-DOMAIN/ns/NS/sa/SA</c> as the CA issues it. Its health (<see cref="EndpointConditions"/>)
/// is kept beside it; only healthy ones are written (<see cref="KubernetesRegistry.Resources"/>), until service
/// grains carry health and can send a draining endpoint as Envoy's DRAINING.</para>
/// <para>An endpoint whose pod is not in the snapshot is <b>pending</b>, not written: once the pod is there it is.
/// Every resource carries <see cref="SourceAnnotation.Key"/>; a later round writes them into the config
/// grains as owned by the Kubernetes source (and deletes the source's own that are no longer produced). A Service that
/// makes an invalid resource (a bad exportTo) is refused whole and reported, with the field at fault.</para>
/// <para>Not here yet: protocol sniffing, the pod DNS names of headless Services, a Service selecting
/// WorkloadEntries, NodePort/LoadBalancer/external IPs, networks, and namespace-level settings.</para>
/// </remarks>
public static class RegistryMapping
{
    public static KubernetesRegistry Map(ClusterSnapshot snapshot)
    {
        var problems = new List<RegistryProblem>();
        var services = new List<ServiceRegistration>();
        foreach (var (key, service) in snapshot.Services)
        {
            if (Register(key, service, snapshot, problems) is { } registration) services.Add(registration);
        }
        return new KubernetesRegistry(services, problems);
    }

    private static ServiceRegistration? Register(string key, V1Service service, ClusterSnapshot snapshot, List<RegistryProblem> problems)
    {
        var serviceProblems = new List<RegistryProblem>();
        var entry = RegistryDocuments.Validate(ServiceEntryMapping.Document(service), $"Service {key}", serviceProblems);
        problems.AddRange(serviceProblems);
        if (entry is null) return null;
        if (ServiceEntryMapping.IsExternalName(service)) return new ServiceRegistration(key, entry, [], []);
        var (endpoints, pending) = EndpointMapping.Map(service, snapshot, problems);
        return new ServiceRegistration(key, entry, endpoints, pending);
    }
}
