using System.Text.Json;
using Mesh.Config.Views.Gateways;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Grains.GatewayApi;

/// <summary>The stored and wire form of the views a Gateway API Gateway converts into (the gateway grain's
/// <c>ConfigSpec.SpecJson</c> for the keys of Gateway API kinds): the views themselves as JSON, read back whole on the
/// xDS side, so the conversion runs once, in the grain, and its result is never re-derived elsewhere.</summary>
public static class ConvertedViews
{
    private static readonly JsonSerializerOptions Options = new();

    public static string Write(GatewayView view) => JsonSerializer.Serialize(view, Options);

    public static string Write(VirtualServiceView view) => JsonSerializer.Serialize(view, Options);

    public static GatewayView Gateway(string json) => JsonSerializer.Deserialize<GatewayView>(json, Options) ?? new GatewayView();

    public static VirtualServiceView VirtualService(string json) => JsonSerializer.Deserialize<VirtualServiceView>(json, Options) ?? new VirtualServiceView();
}
