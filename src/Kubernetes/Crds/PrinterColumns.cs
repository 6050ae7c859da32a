using System.Text.Json.Nodes;
using Mesh.Config.Kinds;

namespace Mesh.Kubernetes.Crds;

/// <summary>The columns <c>kubectl get</c> prints for each kind: the ones an Istio user sees there, then Age.</summary>
internal static class PrinterColumns
{
    private static readonly Dictionary<string, (string Name, string Type, string JsonPath, string Description)[]> ByKind = new(StringComparer.Ordinal)
    {
        [ResourceKinds.VirtualService.Kind] =
        [
            ("Gateways", "string", ".spec.gateways", "The gateways and sidecars that apply these routes"),
            ("Hosts", "string", ".spec.hosts", "The destination hosts to which traffic is being sent"),
        ],
        [ResourceKinds.DestinationRule.Kind] = [("Host", "string", ".spec.host", "The service the rule applies to")],
        [ResourceKinds.ServiceEntry.Kind] =
        [
            ("Hosts", "string", ".spec.hosts", "The hosts associated with the ServiceEntry"),
            ("Location", "string", ".spec.location", "Whether the service is external to the mesh or part of it (MESH_EXTERNAL or MESH_INTERNAL)"),
            ("Resolution", "string", ".spec.resolution", "How the proxies resolve the service's endpoints (NONE, STATIC, DNS, DNS_ROUND_ROBIN)"),
        ],
        [ResourceKinds.WorkloadEntry.Kind] = [("Address", "string", ".spec.address", "Address of the workload")],
        [ResourceKinds.PeerAuthentication.Kind] = [("Mode", "string", ".spec.mtls.mode", "The mTLS mode of the workloads it selects")],
        [ResourceKinds.AuthorizationPolicy.Kind] = [("Action", "string", ".spec.action", "The action to take when a rule matches")],
    };

    public static JsonArray For(ResourceKind kind)
    {
        var columns = new JsonArray();
        foreach (var (name, type, jsonPath, description) in ByKind.GetValueOrDefault(kind.Kind, []))
        {
            columns.Add(new JsonObject { ["name"] = name, ["type"] = type, ["jsonPath"] = jsonPath, ["description"] = description });
        }
        columns.Add(new JsonObject
        {
            ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp",
            ["description"] = "When the object was created (RFC 3339 in the API; kubectl prints its age)",
        });
        return columns;
    }
}
