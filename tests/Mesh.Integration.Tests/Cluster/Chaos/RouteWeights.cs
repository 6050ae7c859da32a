using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;

namespace Mesh.Integration.Tests.Cluster.Chaos;

/// <summary>Reads, over xDS as a proxyless client would, the share of v1 in the route of each service: from a fresh
/// stream (what a proxy connecting now is served) or a long-lived one (what a connected proxy was last pushed).</summary>
public sealed class RouteWeights : IAsyncDisposable
{
    private const string RouteType = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private RouteWeights(int xdsPort, IReadOnlyList<string> routes)
    {
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{xdsPort}");
        _stream = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(_channel).StreamAggregatedResources(cancellationToken: _stop.Token);
        _reading = Read(routes);
    }

    /// <summary>The last weight of v1 pushed per route name.</summary>
    public Dictionary<string, int> Latest { get; } = [];

    /// <summary>A copy of <see cref="Latest"/>.</summary>
    public Dictionary<string, int> Snapshot()
    {
        lock (Latest) return new(Latest);
    }

    /// <summary>Set when the stream ended (its silo died).</summary>
    public bool Ended { get; private set; }

    public static RouteWeights Follow(int xdsPort, IReadOnlyList<string> routes) => new(xdsPort, routes);

    /// <summary>What a fresh stream is served for every route, once all have arrived.</summary>
    public static async Task<Dictionary<string, int>> Fetch(int xdsPort, IReadOnlyList<string> routes, TimeSpan limit)
    {
        await using var weights = Follow(xdsPort, routes);
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !weights.Ended)
        {
            lock (weights.Latest) if (weights.Latest.Count == routes.Count) return new(weights.Latest);
            await Task.Delay(50);
        }
        lock (weights.Latest) return new(weights.Latest);
    }

    /// <summary>The name proxyless clients subscribe to for a service port.</summary>
    public static string RouteName(string host, int port) => $"{host}:{port}";

    private async Task Read(IReadOnlyList<string> routes)
    {
        var node = new Node { Id = $"chaos-probe-{Guid.NewGuid():N}", Cluster = "chaos" };
        var request = new DiscoveryRequest { Node = node, TypeUrl = RouteType };
        request.ResourceNames.Add(routes);
        try
        {
            await _stream.RequestStream.WriteAsync(request);
            while (await _stream.ResponseStream.MoveNext(_stop.Token))
            {
                var response = _stream.ResponseStream.Current;
                foreach (var resource in response.Resources)
                {
                    var route = resource.Unpack<RouteConfiguration>();
                    if (WeightOfV1(route) is { } weight) lock (Latest) Latest[route.Name] = weight;
                }
                var ack = new DiscoveryRequest { Node = node, TypeUrl = RouteType, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce };
                ack.ResourceNames.Add(routes);
                await _stream.RequestStream.WriteAsync(ack);
            }
        }
        catch (Exception)
        {
            // The silo died or the probe was disposed: Ended says which matters.
        }
        finally
        {
            Ended = true;
        }
    }

    /// <summary>The weight of the v1 subset in the first weighted route.</summary>
    private static int? WeightOfV1(RouteConfiguration route) => route.VirtualHosts
        .SelectMany(host => host.Routes)
        .Where(r => r.Route_?.WeightedClusters is not null)
        .SelectMany(r => r.Route_.WeightedClusters.Clusters)
        .Where(c => c.Name.Contains("|v1|", StringComparison.Ordinal))
        .Select(c => (int?)(int)(c.Weight ?? 0))
        .FirstOrDefault();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reading; } catch (Exception) { }
        _stream.Dispose();
        _channel.Dispose();
        _stop.Dispose();
    }
}
