using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Mesh.Sidecar.Config;
using Microsoft.Extensions.Logging;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Xds;

/// <summary>Incremental xDS: subscriptions change by name, responses carry only what changed, and a reconnect says
/// what the sidecar already holds so that only what changed meanwhile is sent again.</summary>
internal sealed class DeltaSession(
    AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, ConfigStore store, SidecarMetrics metrics, ILogger logger)
    : XdsSession<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(node, store, metrics, logger)
{
    private readonly Dictionary<string, HashSet<string>> _subscribed = new(StringComparer.Ordinal);

    protected override AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse> Open(CancellationToken cancellationToken)
        => client.DeltaAggregatedResources(cancellationToken: cancellationToken);

    protected override void SetNode(DeltaDiscoveryRequest request, Node node) => request.Node = node;

    protected override IEnumerable<DeltaDiscoveryRequest> Subscriptions(IReadOnlyDictionary<string, IReadOnlySet<string>> desired)
    {
        foreach (var type in Order)
        {
            var want = desired[type];
            if (!_subscribed.TryGetValue(type, out var have))
            {
                // Listeners are always subscribed (wildcard), so the server answers at once; other types once needed.
                if (type != TypeUrls.Listener && want.Count == 0) continue;
                have = _subscribed[type] = new HashSet<string>(StringComparer.Ordinal);
                var first = new DeltaDiscoveryRequest { TypeUrl = type };
                if (type == TypeUrls.Listener) first.ResourceNamesSubscribe.Add("*");
                first.ResourceNamesSubscribe.Add(want);
                foreach (var (name, resource) in Store.Current.Resources.Of(type))
                {
                    if (want.Contains(name) || type == TypeUrls.Listener) first.InitialResourceVersions[name] = resource.Version;
                }
                have.UnionWith(want);
                yield return first;
                continue;
            }
            var subscribe = want.Where(n => !have.Contains(n)).ToList();
            var unsubscribe = have.Where(n => !want.Contains(n)).ToList();
            if (subscribe.Count == 0 && unsubscribe.Count == 0) continue;
            var request = new DeltaDiscoveryRequest { TypeUrl = type };
            request.ResourceNamesSubscribe.Add(subscribe);
            request.ResourceNamesUnsubscribe.Add(unsubscribe);
            have.UnionWith(subscribe);
            have.ExceptWith(unsubscribe);
            yield return request;
        }
    }

    protected override async Task<DeltaDiscoveryRequest> Handle(DeltaDiscoveryResponse response)
    {
        var (upserts, error) = ResourceDecoder.Decode(response.TypeUrl, response.Resources);
        error ??= await Store.Apply(response.TypeUrl, upserts, [.. response.RemovedResources], response.SystemVersionInfo);
        Metrics.XdsUpdate(TypeUrls.ShortName(response.TypeUrl), error is null);
        return new DeltaDiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce, ErrorDetail = Nack(error) };
    }
}
