using Envoy.Service.Discovery.V3;
using Envoy.Config.Route.V3;
using Grpc.Core;
using Mesh.Xds.Resources;

namespace Mesh.Bench.XdsLoad;

/// <summary>What every simulated stream shares: the bytes it received, when it first held all it asked for, and
/// the shared route it watches for convergence.</summary>
public abstract class BenchStream
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytes;

    public Task Synced => _synced.Task;
    public long Bytes => Interlocked.Read(ref _bytes);
    public SharedRouteWatch Route { get; } = new();

    protected static string SharedRouteName => XdsNames.Route(BenchMesh.SharedHost, 80);

    protected static string[] Clusters(IEnumerable<string> hosts) =>
        [.. hosts.SelectMany(h => new[] { XdsNames.Cluster(80, "v1", h), XdsNames.Cluster(80, "v2", h) })];

    protected abstract Task Stream(CancellationToken cancellationToken);

    public async Task Run(CancellationToken cancellationToken)
    {
        try
        {
            await Stream(cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException || (exception is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
        }
        catch (Exception exception)
        {
            _synced.TrySetException(exception);
            Route.Fail(exception);
        }
    }

    protected void Received(int bytes) => Interlocked.Add(ref _bytes, bytes);

    protected void SetSynced() => _synced.TrySetResult();

    /// <summary>A state-of-the-world route response: every route configuration the stream watches.</summary>
    protected void SawRoutes(DiscoveryResponse response)
    {
        if (response.TypeUrl != TypeUrls.Route) return;
        foreach (var resource in response.Resources)
        {
            var route = RouteConfiguration.Parser.ParseFrom(resource.Value);
            if (route.Name == SharedRouteName) Route.Saw(route);
        }
    }

    /// <summary>A delta route response: the shared route, when it is among the resources (it changed).</summary>
    protected void SawRoutes(DeltaDiscoveryResponse response)
    {
        if (response.TypeUrl != TypeUrls.Route) return;
        foreach (var resource in response.Resources)
        {
            if (resource.Name == SharedRouteName) Route.Saw(RouteConfiguration.Parser.ParseFrom(resource.Resource_.Value));
        }
    }
}
