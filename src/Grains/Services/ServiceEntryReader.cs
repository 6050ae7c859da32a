using Mesh.Config.Validation.Rules;
using System.Text.Json.Nodes;
using Mesh.Grains.Config;
using Mesh.Grains.Endpoints;
using Mesh.Config.Keys;

namespace Mesh.Grains.Services;

/// <summary>Reads what service grains need out of validated ServiceEntry, WorkloadEntry and DestinationRule specs.</summary>
public static class ServiceEntryReader
{
    /// <summary>The entry's hosts, short names qualified with its namespace as the validator and DestinationRules do.</summary>
    public static IReadOnlyList<string> Hosts(StoredConfig serviceEntry) =>
        Spec(serviceEntry)["hosts"] is JsonArray hosts ? [.. hosts.Select(h => HostNames.Qualify(h!.GetValue<string>(), serviceEntry.Namespace))] : [];

    /// <summary>A VirtualService's hosts, qualified with its namespace; wildcards and <c>*</c> are left out
    /// (they name no single service grain).</summary>
    public static IReadOnlyList<string> VirtualServiceHosts(StoredConfig virtualService) =>
        Spec(virtualService)["hosts"] is JsonArray hosts
            ? [.. hosts.Select(h => h?.ToString() ?? "").Where(h => h.Length > 0 && !h.Contains('*')).Select(h => HostNames.Qualify(h, virtualService.Namespace)).Distinct()]
            : [];

    public static ServiceEntryView View(StoredConfig serviceEntry)
    {
        var spec = Spec(serviceEntry);
        var ports = (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(port => new ServicePort(
            Int(port["number"]),
            Str(port["name"]),
            Str(port["protocol"]),
            Int(port["targetPort"]))).ToList();
        var inline = (spec["endpoints"] as JsonArray ?? []).OfType<JsonObject>()
            .Select((endpoint, i) => Workload(WorkloadKey.Inline(serviceEntry.Key, i), serviceEntry.Namespace, endpoint))
            .ToList();
        return new ServiceEntryView
        {
            Key = serviceEntry.Key,
            Namespace = serviceEntry.Namespace,
            Ports = ports,
            Resolution = Str(spec["resolution"]) is { Length: > 0 } resolution ? resolution : "NONE",
            Location = Str(spec["location"]) is { Length: > 0 } location ? location : "MESH_EXTERNAL",
            WorkloadSelector = spec["workloadSelector"]?["labels"] is JsonObject labels ? StringMap(labels) : null,
            InlineEndpoints = inline,
        };
    }

    public static WorkloadInfo WorkloadEntry(StoredConfig workloadEntry) =>
        Workload($"{workloadEntry.Namespace}/{workloadEntry.Name}", workloadEntry.Namespace, Spec(workloadEntry));

    /// <summary>The qualified host and subsets of a DestinationRule.</summary>
    public static (string Host, List<SubsetView> Subsets) DestinationRule(StoredConfig destinationRule)
    {
        var spec = Spec(destinationRule);
        var host = HostNames.Qualify(Str(spec["host"]), destinationRule.Namespace);
        var subsets = (spec["subsets"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(subset => new SubsetView(Str(subset["name"]), subset["labels"] is JsonObject labels ? StringMap(labels) : []))
            .ToList();
        return (host, subsets);
    }

    public static bool Selects(Dictionary<string, string>? selector, WorkloadInfo workload) =>
        selector is not null && selector.All(pair => workload.Labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    private static WorkloadInfo Workload(string key, string @namespace, JsonObject entry) => new()
    {
        Key = key,
        Namespace = @namespace,
        Address = Str(entry["address"]),
        Ports = entry["ports"] is JsonObject ports ? ports.ToDictionary(p => p.Key, p => Int(p.Value)) : [],
        Labels = entry["labels"] is JsonObject labels ? StringMap(labels) : [],
        Locality = Str(entry["locality"]),
        Network = Str(entry["network"]),
        Weight = Int(entry["weight"]),
        ServiceAccount = Str(entry["serviceAccount"]),
    };

    private static JsonObject Spec(StoredConfig config) => JsonNode.Parse(config.SpecJson) as JsonObject ?? [];

    private static Dictionary<string, string> StringMap(JsonObject map) =>
        map.ToDictionary(pair => pair.Key, pair => pair.Value?.ToString() ?? "");

    private static string Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?.ToString() ?? "";

    private static int Int(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<double>(out var d) ? (int)d
        : int.TryParse(value.ToString(), out var parsed) ? parsed : 0
        : 0;
}
