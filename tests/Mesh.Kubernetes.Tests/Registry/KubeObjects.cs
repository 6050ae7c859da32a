using k8s.Models;
using Mesh.Kubernetes.Registry;

namespace Mesh.Kubernetes.Tests.Registry;

/// <summary>Kubernetes objects for the registry tests, built as the API server would return them.</summary>
internal static class KubeObjects
{
    public const string Ns = "bookinfo";

    public static V1ServicePort Port(int number, string? name = null, string? appProtocol = null, string protocol = "TCP", IntOrString? target = null) =>
        new() { Port = number, Name = name, AppProtocol = appProtocol, Protocol = protocol, TargetPort = target ?? number };

    public static V1Service Service(string name, IReadOnlyList<V1ServicePort>? ports = null, string[]? clusterIps = null,
        string type = "ClusterIP", string? externalName = null, bool publishNotReady = false,
        Dictionary<string, string>? annotations = null, string[]? families = null, string ns = Ns)
    {
        var ips = clusterIps ?? ["10.96.0.10"];
        return new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
            Spec = new V1ServiceSpec
            {
                Type = type,
                ClusterIP = type == "ExternalName" ? null : ips.FirstOrDefault(),
                ClusterIPs = type == "ExternalName" ? null : ips,
                IpFamilies = families,
                ExternalName = externalName,
                Ports = [.. ports ?? [Port(9080, "http")]],
                PublishNotReadyAddresses = publishNotReady,
                Selector = new Dictionary<string, string> { ["app"] = name },
            },
        };
    }

    public static V1Endpoint Endpoint(string address, string? pod = null, bool? ready = true, bool? serving = null, bool? terminating = null,
        string? node = null, string? zone = null, string? podUid = null) => new()
    {
        Addresses = [address],
        Conditions = new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating },
        TargetRef = pod is null ? null : new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = Ns, Uid = podUid },
        NodeName = node,
        Zone = zone,
    };

    public static V1EndpointSlice Slice(string name, string service, IReadOnlyList<V1Endpoint> endpoints, string addressType = "IPv4",
        IReadOnlyList<Discoveryv1EndpointPort>? ports = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Ns,
            Labels = new Dictionary<string, string> { [RegistryNames.SliceServiceLabel] = service },
        },
        AddressType = addressType,
        Endpoints = [.. endpoints],
        Ports = [.. ports ?? [SlicePort("http", 9080)]],
    };

    public static Discoveryv1EndpointPort SlicePort(string? name, int number) => new() { Name = name, Port = number, Protocol = "TCP" };

    public static V1Pod Pod(string name, Dictionary<string, string>? labels = null, string? serviceAccount = "bookinfo-reviews",
        string? node = null, string? uid = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Labels = labels, Uid = uid },
        Spec = new V1PodSpec { ServiceAccountName = serviceAccount, NodeName = node, Containers = [] },
    };

    public static V1Node Node(string name, string? region = null, string? zone = null, string? subzone = null)
    {
        var labels = new Dictionary<string, string>();
        if (region is not null) labels[EndpointLocality.RegionLabel] = region;
        if (zone is not null) labels[EndpointLocality.ZoneLabel] = zone;
        if (subzone is not null) labels[EndpointLocality.SubzoneLabel] = subzone;
        return new V1Node { Metadata = new V1ObjectMeta { Name = name, Labels = labels } };
    }
}
