using System.Text.Json.Nodes;

namespace Mesh.Bench.KubeLoad;

/// <summary>The Kubernetes objects of one benchmark service, as a cluster would hold them: a Service selecting its
/// pods, three pods (two behind the Service from the start, one the endpoint-added change puts behind it), the
/// Service's EndpointSlice and a DestinationRule.</summary>
public static class KubeObjects
{
    public static string Name(int service) => $"svc-{service}";

    public static JsonObject Namespace(string name) => Parse($$$"""{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "{{{name}}}"} }""");

    public static JsonObject Service(string ns, int service) => Parse($$$"""
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "{{{Name(service)}}}", "namespace": "{{{ns}}}"},
         "spec": {"clusterIP": "10.96.{{{service / 256}}}.{{{service % 256}}}", "selector": {"app": "{{{Name(service)}}}"},
                  "ports": [{"name": "http", "port": {{{MeshShape.Port}}}, "targetPort": {{{MeshShape.TargetPort}}} }]} }
        """);

    public static JsonObject Pod(string ns, int service, int index) => Parse($$$"""
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "{{{Name(service)}}}-{{{index}}}", "namespace": "{{{ns}}}", "labels": {"app": "{{{Name(service)}}}", "version": "v{{{index}}}"} },
         "spec": {"serviceAccountName": "{{{Name(service)}}}", "containers": [{"name": "app", "image": "app:1"}]} }
        """);

    /// <summary>The Service's one slice: each endpoint ready, and pointing at its pod.</summary>
    public static JsonObject Slice(string ns, int service, IEnumerable<(int Index, string Address)> endpoints)
    {
        var slice = Parse($$$"""
            {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
             "metadata": {"name": "{{{Name(service)}}}-abc", "namespace": "{{{ns}}}", "labels": {"kubernetes.io/service-name": "{{{Name(service)}}}"} },
             "addressType": "IPv4", "ports": [{"name": "http", "port": {{{MeshShape.TargetPort}}}, "protocol": "TCP"}], "endpoints": []}
            """);
        var list = slice["endpoints"]!.AsArray();
        foreach (var (index, address) in endpoints)
        {
            list.Add(Parse($$$"""
                {"addresses": ["{{{address}}}"], "conditions": {"ready": true, "serving": true, "terminating": false},
                 "targetRef": {"kind": "Pod", "name": "{{{Name(service)}}}-{{{index}}}", "namespace": "{{{ns}}}"} }
                """));
        }
        return slice;
    }

    public static JsonObject DestinationRule(string ns, string host, int service, int maxConnections) => Parse($$$"""
        {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "{{{Name(service)}}}", "namespace": "{{{ns}}}"},
         "spec": {"host": "{{{host}}}", "trafficPolicy": {"connectionPool": {"tcp": {"maxConnections": {{{maxConnections}}} } } } } }
        """);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
