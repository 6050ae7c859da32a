using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Config.Gateway;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Proxy.Gateway;

/// <summary>Envoy's tcp_proxy for a passthrough chain: the connection's bytes, ClientHello first (it was only read, not
/// consumed), go unchanged to an endpoint of the chain's cluster, picked by the cluster's load balancer; the gateway
/// does not terminate TLS. One access-log line per connection, and Istio's TCP metrics.</summary>
public sealed partial class TcpPassthrough(
    SidecarOptions options, ConfigStore store, YarpClusters yarp, ClusterRuntimes runtimes, SidecarMetrics metrics, AccessLog log, ILogger<TcpPassthrough> logger)
{
    public async Task Run(ConnectionContext connection, GatewayListener listener, TcpProxyModel proxy, string? serverName)
    {
        var started = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        var cluster = proxy.Pick(Random.Shared.NextDouble()).Name;
        metrics.TcpOpened(cluster);
        var (endpoint, flags) = Endpoint(store.Current, cluster);
        var pipe = new BytePipe();
        var failed = endpoint is null;
        if (endpoint is not null)
        {
            try
            {
                await pipe.Run(connection, endpoint.Address, endpoint.Port);
            }
            catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException or ConnectionResetException)
            {
                failed = true;
                if (pipe.Received == 0 && pipe.Sent == 0) flags = "UF";
                LogFailed(logger, listener.Name, cluster, endpoint.Key, exception.Message);
            }
        }
        else
        {
            LogNoEndpoint(logger, listener.Name, cluster, flags);
        }
        if (failed) connection.Abort(new ConnectionAbortedException("passthrough failed"));
        metrics.TcpClosed(cluster, flags, pipe.Received, pipe.Sent);
        if (log.Enabled) Write(connection, listener, serverName, cluster, endpoint?.Key, flags, pipe.Received, pipe.Sent, startedAt, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>An endpoint of the cluster from its load balancer, or the response flag that says why there is none
    /// (NC: no such cluster, UH: no healthy endpoint).</summary>
    private (EndpointModel? Endpoint, string Flags) Endpoint(ProxyModel model, string name)
    {
        if (!model.Clusters.TryGetValue(name, out var cluster) || yarp.Find(name) is not { } state) return (null, "NC");
        var picked = LoadBalancer.Pick(cluster, runtimes.For(name), state.DestinationsState.AvailableDestinations, options.Locality, hash: null, tried: null);
        return picked is not null && cluster.ByKey.TryGetValue(picked.DestinationId, out var endpoint) ? (endpoint, "-") : (null, "UH");
    }

    private void Write(ConnectionContext connection, GatewayListener listener, string? serverName, string cluster, string? upstream, string flags,
        long received, long sent, DateTimeOffset startedAt, TimeSpan elapsed)
    {
        log.Write(json =>
        {
            json.WriteString("start_time", startedAt);
            json.WriteString("direction", "outbound");
            json.WriteString("protocol", "tcp");
            json.WriteString("response_flags", flags);
            json.WriteNumber("bytes_received", received);
            json.WriteNumber("bytes_sent", sent);
            json.WriteNumber("duration", Math.Round(elapsed.TotalMilliseconds, 3));
            json.WriteString("listener_name", listener.Name);
            json.WriteString("requested_server_name", serverName);
            json.WriteString("upstream_cluster", cluster);
            json.WriteString("upstream_host", upstream);
            json.WriteString("downstream_remote_address", connection.RemoteEndPoint?.ToString());
        });
    }

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "Passthrough on {Listener}: no endpoint of {Cluster} ({Flags})")]
    private static partial void LogNoEndpoint(ILogger logger, string listener, string cluster, string flags);

    [LoggerMessage(EventId = 512, Level = LogLevel.Information, Message = "Passthrough on {Listener} to {Cluster} ({Endpoint}) ended: {Error}")]
    private static partial void LogFailed(ILogger logger, string listener, string cluster, string endpoint, string error);
}
