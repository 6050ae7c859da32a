using System.Diagnostics;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Xds.Resources;

namespace Mesh.Bench.KubeLoad;

/// <summary>One proxyless xDS client on one delta ADS stream, subscribed to the cluster (CDS) and endpoints (EDS) of
/// every service of both meshes, ACKing each response as it arrives. It keeps the last version of each resource and
/// when it arrived, and completes a wait as soon as a resource holds what the wait asked for.</summary>
public sealed class ClusterWatch
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Type, string Name), (IMessage Resource, long Arrived)> _held = [];
    private readonly List<Wait> _waits = [];

    private sealed record Wait(string Type, string Name, Func<IMessage, bool> Holds, TaskCompletionSource<long> Seen);

    public static string ClusterName(string host) => XdsNames.Cluster(MeshShape.Port, "", host);

    /// <summary>Completes with the <see cref="Stopwatch"/> timestamp of the response that made the resource hold it.</summary>
    public Task<long> Until(string typeUrl, string name, Func<IMessage, bool> holds)
    {
        var wait = new Wait(typeUrl, name, holds, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            if (_held.TryGetValue((typeUrl, name), out var held) && holds(held.Resource)) wait.Seen.SetResult(held.Arrived);
            else _waits.Add(wait);
        }
        return wait.Seen.Task;
    }

    public Task<long> UntilEndpoints(string host, Func<IReadOnlySet<string>, bool> holds) =>
        Until(TypeUrls.Endpoint, ClusterName(host), r => holds(Addresses((ClusterLoadAssignment)r)));

    public Task<long> UntilMaxConnections(string host, int value) =>
        Until(TypeUrls.Cluster, ClusterName(host), r => ((Cluster)r).CircuitBreakers?.Thresholds.FirstOrDefault()?.MaxConnections == (uint)value);

    public async Task Run(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        using var call = client.DeltaAggregatedResources(cancellationToken: cancellationToken);
        var node = new Node { Id = "kubeload-client", UserAgentName = "mesh-kube-bench" };
        foreach (var type in new[] { TypeUrls.Cluster, TypeUrls.Endpoint })
        {
            var request = new DeltaDiscoveryRequest { TypeUrl = type, Node = node };
            request.ResourceNamesSubscribe.Add(hosts.Select(ClusterName));
            await call.RequestStream.WriteAsync(request, cancellationToken);
            node = null;
        }
        try
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                var arrived = Stopwatch.GetTimestamp();
                await call.RequestStream.WriteAsync(new DeltaDiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce }, cancellationToken);
                Hold(response, arrived);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || (e is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
        }
    }

    private void Hold(DeltaDiscoveryResponse response, long arrived)
    {
        var parsed = response.Resources.Select(r => (r.Name, Resource: Parse(response.TypeUrl, r.Resource_))).Where(r => r.Resource is not null).ToList();
        lock (_gate)
        {
            foreach (var (name, resource) in parsed)
            {
                _held[(response.TypeUrl, name)] = (resource!, arrived);
                foreach (var wait in _waits.Where(w => w.Type == response.TypeUrl && w.Name == name && w.Holds(resource!)).ToList())
                {
                    wait.Seen.SetResult(arrived);
                    _waits.Remove(wait);
                }
            }
        }
    }

    private static IMessage? Parse(string typeUrl, Google.Protobuf.WellKnownTypes.Any? any) => any is null ? null : typeUrl switch
    {
        TypeUrls.Cluster => Cluster.Parser.ParseFrom(any.Value),
        TypeUrls.Endpoint => ClusterLoadAssignment.Parser.ParseFrom(any.Value),
        _ => null,
    };

    private static HashSet<string> Addresses(ClusterLoadAssignment assignment) =>
        [.. assignment.Endpoints.SelectMany(l => l.LbEndpoints).Select(e => e.Endpoint?.Address?.SocketAddress?.Address).OfType<string>()];
}
