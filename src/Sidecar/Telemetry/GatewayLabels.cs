using System.Diagnostics;
using Mesh.Api.Telemetry;
using Mesh.Sidecar.Proxy;

namespace Mesh.Sidecar.Telemetry;

/// <summary>The labels a gateway adds to Istio's request series for per-API analytics: the route's name (from config)
/// and the consumer (from an ApiPolicy's keys), each <c>unknown</c> when the request had none, so that every gateway
/// series has the same labels and their values stay as few as the config's routes and consumers.</summary>
public static class GatewayLabels
{
    public static void Add(ref TagList tags, IDictionary<object, object?> items)
    {
        tags.Add(GatewaySeries.Route, Text(items, RequestItems.Route));
        tags.Add(GatewaySeries.Consumer, Text(items, RequestItems.Consumer));
    }

    private static string Text(IDictionary<object, object?> items, string key)
        => items.TryGetValue(key, out var value) && value is string { Length: > 0 } text ? text : GatewaySeries.Unknown;
}
