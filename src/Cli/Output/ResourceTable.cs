using System.Text.Json.Nodes;
using Mesh.Api.V1;
using Mesh.Config.Kinds;

namespace Mesh.Cli.Output;

/// <summary>The columns <c>meshctl get</c> shows per kind, close to what kubectl shows for Istio's CRDs.</summary>
public static class ResourceTable
{
    public static string Render(IReadOnlyList<ConfigResource> items, bool allNamespaces)
    {
        var kind = items.Count > 0 ? items[0].Kind : "";
        var extra = ExtraColumns(kind);
        var headers = new List<string>();
        if (allNamespaces) headers.Add("NAMESPACE");
        headers.Add("NAME");
        headers.AddRange(extra.Select(c => c.Header));
        headers.Add("AGE");
        var now = DateTimeOffset.UtcNow;
        var rows = items.Select(item =>
        {
            var spec = ResourceDocuments.Spec(item) as JsonObject ?? [];
            var row = new List<string>();
            if (allNamespaces) row.Add(item.Metadata.Namespace);
            row.Add(item.Metadata.Name);
            row.AddRange(extra.Select(c => c.Value(spec)));
            row.Add(item.Metadata.CreationTimestamp is null ? "" : Table.Age(item.Metadata.CreationTimestamp.ToDateTimeOffset(), now));
            return (IReadOnlyList<string>)row;
        });
        return Table.Render(headers, rows);
    }

    private static IReadOnlyList<(string Header, Func<JsonObject, string> Value)> ExtraColumns(string kind) => kind switch
    {
        KindNames.VirtualService => [("GATEWAYS", s => List(s["gateways"])), ("HOSTS", s => List(s["hosts"]))],
        KindNames.DestinationRule => [("HOST", s => Text(s["host"]))],
        KindNames.ServiceEntry => [("HOSTS", s => List(s["hosts"])), ("LOCATION", s => Text(s["location"])), ("RESOLUTION", s => Text(s["resolution"]))],
        KindNames.WorkloadEntry => [("ADDRESS", s => Text(s["address"]))],
        KindNames.Gateway => [("SERVERS", s => (s["servers"] as JsonArray)?.Count.ToString() ?? "0")],
        KindNames.PeerAuthentication => [("MODE", s => Text(s["mtls"]?["mode"]))],
        KindNames.AuthorizationPolicy => [("ACTION", s => Text(s["action"]) is { Length: > 0 } a ? a : "ALLOW")],
        _ => [],
    };

    private static string Text(JsonNode? node) => node?.ToString() ?? "";

    private static string List(JsonNode? node) =>
        node is JsonArray array ? "[" + string.Join(",", array.Select(Text).Select(s => $"\"{s}\"")) + "]" : "";
}
