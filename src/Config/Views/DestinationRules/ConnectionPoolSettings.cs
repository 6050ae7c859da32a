using System.Text.Json.Nodes;

namespace Mesh.Config.Views.DestinationRules;

/// <summary>The limits of Istio's <c>ConnectionPoolSettings</c> that Mesh reads: <c>tcp.maxConnections</c> and
/// <c>http.http1MaxPendingRequests</c>, <c>http2MaxRequests</c>, <c>maxRetries</c>; null when not set.</summary>
public sealed record ConnectionPoolSettings(long? MaxConnections, long? Http1MaxPendingRequests, long? Http2MaxRequests, long? MaxRetries)
{
    internal static ConnectionPoolSettings? From(JsonObject? pool) => pool is null ? null : new(
        pool.Obj("tcp").Long("maxConnections"),
        pool.Obj("http").Long("http1MaxPendingRequests"),
        pool.Obj("http").Long("http2MaxRequests"),
        pool.Obj("http").Long("maxRetries"));
}
