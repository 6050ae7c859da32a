using System.Diagnostics;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace Mesh.Bench.XdsLoad;

/// <summary>One simulated proxyless client: subscribes to its own service and the shared one, ACKs everything
/// at once, and notes when the shared route configuration changes.</summary>
public sealed class ProxyStream(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, int id, string ownHost, bool delta)
{
    private const string Lds = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private const string Rds = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    private const string Cds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private const string Eds = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TimeSpan> _converged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _sharedRouteVersion;
    private long _changeStarted;
    private long _bytes;

    public Task Synced => _synced.Task;
    public Task<TimeSpan> Converged => _converged.Task;
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>From now on, the next new version of the shared route configuration counts as convergence.</summary>
    public void StartChange(long timestamp) => Interlocked.Exchange(ref _changeStarted, timestamp);

    private static string SharedRoute => $"{BenchMesh.SharedHost}:80";

    private Dictionary<string, string[]> Names()
    {
        string[] hosts = [ownHost, BenchMesh.SharedHost];
        var clusters = hosts.SelectMany(h => new[] { $"outbound|80|v1|{h}", $"outbound|80|v2|{h}" }).ToArray();
        return new()
        {
            [Cds] = clusters,
            [Eds] = clusters,
            [Lds] = [.. hosts.Select(h => $"{h}:80")],
            [Rds] = [.. hosts.Select(h => $"{h}:80")],
        };
    }

    private Node Node() => new() { Id = $"bench-{id}", UserAgentName = "mesh-xds-bench" };

    public async Task Run(CancellationToken cancellationToken)
    {
        try
        {
            if (delta) await RunDelta(cancellationToken);
            else await RunSotw(cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException || (exception is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
        }
        catch (Exception exception)
        {
            _synced.TrySetException(exception);
            _converged.TrySetException(exception);
        }
    }

    private async Task RunSotw(CancellationToken cancellationToken)
    {
        using var call = client.StreamAggregatedResources(cancellationToken: cancellationToken);
        var names = Names();
        var first = true;
        foreach (var (type, list) in names)
        {
            var request = new DiscoveryRequest { TypeUrl = type, Node = first ? Node() : null };
            request.ResourceNames.Add(list);
            first = false;
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }
        var seen = new HashSet<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            Interlocked.Add(ref _bytes, response.CalculateSize());
            var ack = new DiscoveryRequest { TypeUrl = response.TypeUrl, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce };
            ack.ResourceNames.Add(names[response.TypeUrl]);
            await call.RequestStream.WriteAsync(ack, cancellationToken);
            if (response.TypeUrl == Rds)
            {
                // The RDS version covers both route configurations; only the shared one changes.
                Observe(response.VersionInfo);
            }
            seen.Add(response.TypeUrl);
            if (seen.Count == 4) _synced.TrySetResult();
        }
    }

    private async Task RunDelta(CancellationToken cancellationToken)
    {
        using var call = client.DeltaAggregatedResources(cancellationToken: cancellationToken);
        var first = true;
        foreach (var (type, list) in Names())
        {
            var request = new DeltaDiscoveryRequest { TypeUrl = type, Node = first ? Node() : null };
            request.ResourceNamesSubscribe.Add(list);
            first = false;
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }
        var seen = new HashSet<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            Interlocked.Add(ref _bytes, response.CalculateSize());
            await call.RequestStream.WriteAsync(new DeltaDiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce }, cancellationToken);
            if (response.TypeUrl == Rds && response.Resources.FirstOrDefault(r => r.Name == SharedRoute) is { } shared)
            {
                Observe(shared.Version);
            }
            seen.Add(response.TypeUrl);
            if (seen.Count == 4) _synced.TrySetResult();
        }
    }

    private void Observe(string version)
    {
        var started = Interlocked.Read(ref _changeStarted);
        if (started != 0 && _sharedRouteVersion is not null && version != _sharedRouteVersion)
        {
            _converged.TrySetResult(Stopwatch.GetElapsedTime(started));
        }
        _sharedRouteVersion = version;
    }
}
