using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Xds;

/// <summary>Keeps one ADS stream open to any of the configured xDS servers: delta when the server offers it, state of
/// the world otherwise. A lost stream is retried with jittered exponential backoff, each time on the next server;
/// meanwhile the proxy keeps serving its last good config (static stability). On a graceful stop the stream is
/// closed from this side, which tells the control plane to deregister the workload at once.</summary>
public sealed partial class XdsClient(SidecarOptions options, ConfigStore store, SidecarMetrics metrics, Security.WorkloadIdentity identity, ILogger<XdsClient> logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly HashSet<string> _sotwOnly = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();

    /// <summary>The server of the current stream, or null while disconnected.</summary>
    public string? ConnectedTo { get; private set; }

    public string NodeId => options.NodeId;

    /// <summary>Whether the current stream speaks delta.</summary>
    public bool Delta { get; private set; }

    /// <summary>A graceful stop, after the listeners drained: the stream is closed from this side (the control plane
    /// deregisters the workload at once), and no reconnect follows.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _closing.CancelAsync();
        if (ExecuteTask is { } running)
        {
            // Let the server see the stream end cleanly before anything is cancelled.
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
        }
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var node = NodeIdentity.For(options);
        if (options.Secured)
        {
            // The secured port wants the workload certificate; the token is only for getting the first one.
            try
            {
                await identity.Ready.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        var attempt = 0;
        var serverIndex = 0;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _closing.Token);
        while (!stopping.IsCancellationRequested)
        {
            var server = options.XdsServers[serverIndex % options.XdsServers.Count];
            var answered = false;
            try
            {
                using var channel = new Security.ControlPlaneChannel(options, identity).Open(server);
                var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
                var delta = !_sotwOnly.Contains(server);
                LogConnecting(logger, server, delta ? "delta" : "state of the world");
                IXdsSession session = delta
                    ? new DeltaSession(client, node, store, metrics, logger)
                    : new SotwSession(client, node, store, metrics, logger);
                Delta = delta;
                answered = await session.Run(() => { ConnectedTo = server; attempt = 0; }, stoppingToken, _closing.Token);
                if (_closing.IsCancellationRequested) break;
                LogStreamEnded(logger, server);
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Unimplemented && !_sotwOnly.Contains(server))
            {
                LogNoDelta(logger, server);
                _sotwOnly.Add(server);
                continue;
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                LogStreamFailed(logger, server, exception.Message);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            finally
            {
                ConnectedTo = null;
            }
            metrics.XdsReconnect();
            serverIndex++;
            if (!answered) attempt++;
            var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 10)));
            var delay = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
            try
            {
                await Task.Delay(delay, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Connecting to xDS server {Server} ({Protocol})")]
    private static partial void LogConnecting(ILogger logger, string server, string protocol);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "The xDS stream to {Server} ended; serving the last good config and reconnecting")]
    private static partial void LogStreamEnded(ILogger logger, string server);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "The xDS stream to {Server} failed ({Error}); serving the last good config and reconnecting")]
    private static partial void LogStreamFailed(ILogger logger, string server, string error);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "{Server} does not offer delta xDS; using state of the world")]
    private static partial void LogNoDelta(ILogger logger, string server);
}

/// <summary>One ADS stream in one protocol.</summary>
internal interface IXdsSession
{
    /// <summary>Runs the stream until it ends. <paramref name="connected"/> is called at the first response.</summary>
    /// <param name="closing">Cancelled to end the stream gracefully, by closing the request side.</param>
    /// <returns>Whether the server answered at all.</returns>
    Task<bool> Run(Action connected, CancellationToken stopping, CancellationToken closing);
}
