using Mesh.Grains.Proxies;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

/// <summary>Keeps one stream's status and reports it to the proxy's grain: soon after each change (coalesced),
/// every 30 s as a heartbeat, and once more when the stream ends. Both the proxy's grain and its directory bucket
/// hold it in memory only, so when a silo dies (which may have held either) the stream reports again at once and
/// puts its node back in the directory (<see cref="IRenewable"/>, renewed by the silo's death watcher).</summary>
internal sealed partial class ProxyStatusRecorder : IAsyncDisposable, IRenewable
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    /// <summary>A report sent to a silo that has just died can wait out Orleans' response timeout (30 s), and every
    /// later report of the stream behind it: given up after this and sent again (the grain ignores the older one).</summary>
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(5);
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly SubscriptionRegistry? _renewals;
    private readonly Dictionary<string, TypeStatus> _types = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ProxyStatus _status;
    private bool _dirty = true;
    private bool _relist;

    /// <param name="node">What the status tells of the proxy beyond its id (from its node metadata); nothing when null.</param>
    public ProxyStatusRecorder(IGrainFactory grains, string nodeId, string silo, bool delta, string clientVersion, ILogger logger, SubscriptionRegistry? renewals = null, ProxyNodeFacts? node = null)
    {
        _grains = grains;
        _logger = logger;
        _renewals = renewals;
        var now = DateTimeOffset.UtcNow;
        _status = new ProxyStatus
        {
            NodeId = nodeId, Silo = silo, Delta = delta, ClientVersion = clientVersion, ConnectedAt = now, UpdatedAt = now,
            MetricsUrl = node?.MetricsUrl ?? "", Namespace = node?.Namespace ?? "", Labels = node is null ? [] : new(node.Labels, StringComparer.Ordinal),
        };
        _loop = Task.Run(ReportLoop);
        _renewals?.Track(this);
    }

    public void Sent(string type, string version, string nonce, Dictionary<string, string> resources, int subscribed) =>
        Update(type, s => s with { SentVersion = version, SentNonce = nonce, SentAt = DateTimeOffset.UtcNow, SentResources = resources, Subscribed = subscribed });

    public void Acked(string type, string version, string nonce) =>
        Update(type, s => s with { AckedVersion = version, AckedNonce = nonce, AckedAt = DateTimeOffset.UtcNow });

    public void Nacked(string type, string nonce, string error) =>
        Update(type, s => s with { NackedNonce = nonce, NackError = error, NackedAt = DateTimeOffset.UtcNow });

    /// <summary>A silo died: report on the next tick and put the node back in its directory bucket.</summary>
    public void RenewNow()
    {
        lock (_types) _dirty = _relist = true;
    }

    private void Update(string type, Func<TypeStatus, TypeStatus> change)
    {
        lock (_types)
        {
            _types[type] = change(_types.TryGetValue(type, out var current) ? current : new TypeStatus { TypeUrl = type });
            _dirty = true;
        }
    }

    private ProxyStatus Snapshot()
    {
        lock (_types)
        {
            _dirty = false;
            return _status = _status with { UpdatedAt = DateTimeOffset.UtcNow, Types = [.. _types.Values.OrderBy(t => t.TypeUrl, StringComparer.Ordinal)] };
        }
    }

    private async Task ReportLoop()
    {
        var lastReport = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Coalesce);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                bool dirty, relist;
                lock (_types) (dirty, relist) = (_dirty, _relist);
                if (!dirty && DateTimeOffset.UtcNow - lastReport < Heartbeat) continue;
                try
                {
                    await Proxy().Report(Snapshot()).WaitAsync(ReportTimeout, _stop.Token);
                    if (relist)
                    {
                        await Directory().Add(_status.NodeId).WaitAsync(ReportTimeout, _stop.Token);
                        lock (_types) _relist = false;
                    }
                    lastReport = DateTimeOffset.UtcNow;
                }
                catch (Exception exception) when (!_stop.IsCancellationRequested)
                {
                    // Try again on the next tick: the grain or its directory may be moving off a dead silo.
                    lock (_types) _dirty = true;
                    LogReportFailed(_logger, _status.NodeId, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private IProxyGrain Proxy() => _grains.GetGrain<IProxyGrain>(_status.NodeId);

    private IProxyDirectoryGrain Directory() => _grains.GetGrain<IProxyDirectoryGrain>(ProxyDirectory.BucketOf(_status.NodeId));

    public async ValueTask DisposeAsync()
    {
        _renewals?.Remove(this);
        await _stop.CancelAsync();
        await _loop;
        try
        {
            await Proxy().Report(Snapshot()).WaitAsync(ReportTimeout);
            await Proxy().Disconnected(_status.Silo, _status.ConnectedAt).WaitAsync(ReportTimeout);
        }
        catch (Exception exception)
        {
            LogReportFailed(_logger, _status.NodeId, exception);
        }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Reporting the status of proxy {NodeId} failed")]
    private static partial void LogReportFailed(ILogger logger, string nodeId, Exception exception);
}
