using Mesh.Grains.Config;

namespace Mesh.Grains.GatewayApi;

/// <summary>What the Gateway API grain persists: the resources as stored, the status it computed for each (the
/// previous status of the next conversion: conditions that did not change keep their transition time), and the keys
/// of the gateway grains it feeds (so that a Gateway that is gone is cleared).</summary>
[GenerateSerializer, Alias("mesh.GatewayApiState")]
public sealed class GatewayApiState
{
    [Id(0)] public Dictionary<string, StoredConfig> Resources { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, string> Status { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public List<string> Gateways { get; set; } = [];
}
