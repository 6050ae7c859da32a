using System.Text.Json.Nodes;
using k8s.Models;
using Mesh.Config.Kinds;

namespace Mesh.Kubernetes.Registry;

/// <summary>A Service's EndpointSlices (joined by <see cref="RegistryNames.SliceServiceLabel"/>), with their pods and
/// nodes, as one WorkloadEntry per endpoint, or held back while its pod is unknown.</summary>
/// <remarks>Only the first address of an endpoint is read (the API says they are fungible); FQDN slices are skipped
/// as istiod skips them. An endpoint that appears in several slices (moving between them, or a dual-stack pod in an
/// IPv4 and an IPv6 slice) is one workload: the healthiest entry wins, then the Service's first IP family, then the
/// first slice by name; its ports are those of every entry with the winning address. A WorkloadEntry has one address,
/// so a dual-stack pod is reached on its primary family only.</remarks>
internal static class EndpointMapping
{
    private sealed record Candidate(string Identity, string Address, V1Endpoint Endpoint, V1Pod? Pod, EndpointHealth Health,
        Dictionary<string, int> Ports, bool Ipv6, string Slice);

    public static (IReadOnlyList<EndpointRegistration> Endpoints, IReadOnlyList<PendingEndpoint> Pending) Map(
        V1Service service, ClusterSnapshot snapshot, ICollection<RegistryProblem> problems)
    {
        var (name, ns) = (service.Name(), service.Namespace() ?? "default");
        var serviceKey = ClusterSnapshot.Key(ns, name);
        var portNames = (service.Spec?.Ports ?? []).ToDictionary(p => p.Name ?? "", ServiceEntryMapping.PortName);
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var candidates = new List<Candidate>();
        var pending = new List<PendingEndpoint>();

        foreach (var (sliceKey, slice) in snapshot.EndpointSlices.Where(s => Backs(s.Value, name, ns)))
        {
            var ports = (slice.Ports ?? [])
                .Where(p => p.Port is > 0 && portNames.ContainsKey(p.Name ?? ""))
                .DistinctBy(p => p.Name ?? "")
                .ToDictionary(p => portNames[p.Name ?? ""], p => p.Port!.Value);
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Addresses is not { Count: > 0 } addresses) continue;
                var address = addresses[0];
                V1Pod? pod = null;
                if (endpoint.TargetRef is { Kind: "Pod" } target)
                {
                    var podKey = ClusterSnapshot.Key(target.NamespaceProperty ?? ns, target.Name);
                    if (!snapshot.Pods.TryGetValue(podKey, out pod) || !SamePod(target, pod))
                    {
                        pending.Add(new PendingEndpoint(serviceKey, address, podKey));
                        continue;
                    }
                }
                var identity = pod is null ? address : ClusterSnapshot.Key(pod);
                var health = EndpointConditions.Health(endpoint.Conditions, publishNotReady);
                candidates.Add(new Candidate(identity, address, endpoint, pod, health, ports, address.Contains(':'), sliceKey));
            }
        }

        var preferIpv6 = ServiceEntryMapping.PrefersIpv6(service);
        var endpoints = new List<EndpointRegistration>();
        foreach (var group in candidates.GroupBy(c => c.Identity))
        {
            var winner = group.OrderBy(c => c.Health).ThenBy(c => c.Ipv6 == preferIpv6 ? 0 : 1).First();
            var ports = new Dictionary<string, int>();
            foreach (var same in group.Where(c => c.Address == winner.Address))
            {
                foreach (var (port, number) in same.Ports) ports.TryAdd(port, number);
            }
            var document = WorkloadEntry(name, ns, winner, ports, snapshot);
            if (RegistryDocuments.Validate(document, $"EndpointSlice {winner.Slice} (endpoint {winner.Address})", problems) is { } entry)
            {
                endpoints.Add(new EndpointRegistration(entry, winner.Health, winner.Pod is null ? null : ClusterSnapshot.Key(winner.Pod)));
            }
        }
        return (
            [.. endpoints.OrderBy(e => e.WorkloadEntry.Key, StringComparer.Ordinal)],
            [.. pending.Distinct().OrderBy(p => p.Pod, StringComparer.Ordinal).ThenBy(p => p.Address, StringComparer.Ordinal)]);
    }

    private static bool Backs(V1EndpointSlice slice, string service, string @namespace) =>
        (slice.Namespace() ?? "default") == @namespace
        && slice.Metadata?.Labels.Value(RegistryNames.SliceServiceLabel) == service
        && slice.AddressType is "IPv4" or "IPv6";

    /// <summary>A pod recreated under the same name (a StatefulSet's) is another pod: until it arrives, the one seen
    /// is stale and its labels may not be the new one's.</summary>
    private static bool SamePod(V1ObjectReference target, V1Pod pod) =>
        string.IsNullOrEmpty(target.Uid) || string.IsNullOrEmpty(pod.Uid()) || target.Uid == pod.Uid();

    private static JsonObject WorkloadEntry(string service, string @namespace, Candidate endpoint, Dictionary<string, int> ports, ClusterSnapshot snapshot)
    {
        var labels = new Dictionary<string, string>(endpoint.Pod?.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [RegistryNames.ServiceLabel] = service,
        };
        var spec = new JsonObject
        {
            ["address"] = endpoint.Address,
            ["ports"] = new JsonObject(ports.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["labels"] = RegistryDocuments.Map(labels),
        };
        var node = EndpointLocality.NodeName(endpoint.Endpoint, endpoint.Pod) is { } nodeName && snapshot.Nodes.TryGetValue(nodeName, out var found) ? found : null;
        if (EndpointLocality.Of(endpoint.Endpoint, endpoint.Pod, node) is { Length: > 0 } locality) spec["locality"] = locality;
        if (endpoint.Pod is not null) spec["serviceAccount"] = endpoint.Pod.Spec?.ServiceAccountName is { Length: > 0 } account ? account : "default";
        var name = RegistryNames.WorkloadEntryName(service, endpoint.Address);
        return RegistryDocuments.Document(ResourceKinds.WorkloadEntry, name, @namespace, new Dictionary<string, string> { [RegistryNames.ServiceLabel] = service }, spec);
    }
}
