using System.Text.Json.Nodes;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.Gateways;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Grains.Config;

/// <summary>A stored resource's spec, read once where a config change reaches the grains that derive from it. It was
/// validated before it was stored.</summary>
internal static class StoredSpecs
{
    public static JsonObject Parse(StoredConfig config) => JsonNode.Parse(config.SpecJson) as JsonObject ?? [];

    public static VirtualServiceView VirtualService(StoredConfig config) => VirtualServiceView.From(Parse(config));

    public static GatewayView Gateway(StoredConfig config) => GatewayView.From(Parse(config));

    public static DestinationRuleView DestinationRule(StoredConfig config) => DestinationRuleView.From(Parse(config));
}
