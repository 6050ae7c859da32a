using Mesh.Config.Validation.Rules;
using System.Text.Json.Nodes;
using Mesh.Grains.Config;
using Mesh.Grains.Endpoints;
using Mesh.Config.Keys;

namespace Mesh.Grains.Services;

/// <summary>Reads what service and endpoint grains need out of validated ServiceEntry and WorkloadEntry specs.</summary>
public static class ServiceEntryReader
{
    /// <summary>The entry's hosts, short names qualified with its namespace as the validator and DestinationRules do.</summary>
    public static IReadOnlyList<string> Hosts(StoredConfig serviceEntry) =>
        StoredSpecs.Parse(serviceEntry)["hosts"] is JsonArray hosts ? [.. hosts.Select(h => HostNames.Qualify(h!.GetValue<string>(), serviceEntry.Namespace))] : [];

    /// <summary>The entry's single IP addresses (<c>10.96.0.5</c>, <c>10.96.0.5/32</c>), normalized; wider CIDR ranges
    /// name no one service and are left out.</summary>
    public static IReadOnlyList<string> Addresses(StoredConfig serviceEntry) =>
        StoredSpecs.Parse(serviceEntry)["addresses"] is JsonArray addresses
            ? [.. addresses.Select(a => ServiceAddresses.Single(a?.GetValue<string>() ?? "")).OfType<string>().Distinct(StringComparer.Ordinal)]
            : [];

    /// <summary>The service grains an entry feeds: one per host, and one per VIP that stands for its host
    /// (<see cref="ServiceModel.AliasOf"/>).</summary>
    public static IReadOnlyList<string> Targets(StoredConfig serviceEntry) => [.. Hosts(serviceEntry), .. Addresses(serviceEntry)];

    public static ServiceEntryView View(StoredConfig serviceEntry)
    {
        var spec = StoredSpecs.Parse(serviceEntry);
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
            Hosts = [.. Hosts(serviceEntry)],
            Addresses = [.. Addresses(serviceEntry)],
        };
    }

    public static WorkloadInfo WorkloadEntry(StoredConfig workloadEntry) =>
        Workload(WorkloadKey.Of(workloadEntry.Namespace, workloadEntry.Name), workloadEntry.Namespace, StoredSpecs.Parse(workloadEntry));

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


    private static Dictionary<string, string> StringMap(JsonObject map) =>
        map.ToDictionary(pair => pair.Key, pair => pair.Value?.ToString() ?? "");

    private static string Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?.ToString() ?? "";

    private static int Int(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<double>(out var d) ? (int)d
        : int.TryParse(value.ToString(), out var parsed) ? parsed : 0
        : 0;
}
