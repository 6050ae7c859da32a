using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Mesh.Sidecar.Config;
using Microsoft.Extensions.Logging;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Xds;

/// <summary>State-of-the-world xDS: every request names the whole subscription of its type, and a listener or cluster
/// response is complete, so what it lacks is gone (or, if it was asked for, does not exist).</summary>
internal sealed class SotwSession(
    AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, ConfigStore store, SidecarMetrics metrics, ILogger logger)
    : XdsSession<DiscoveryRequest, DiscoveryResponse>(node, store, metrics, logger)
{
    private readonly Dictionary<string, HashSet<string>> _subscribed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Version, string Nonce)> _last = new(StringComparer.Ordinal);

    protected override AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> Open(CancellationToken cancellationToken)
        => client.StreamAggregatedResources(cancellationToken: cancellationToken);

    protected override void SetNode(DiscoveryRequest request, Node node) => request.Node = node;

    protected override IEnumerable<DiscoveryRequest> Subscriptions(IReadOnlyDictionary<string, IReadOnlySet<string>> desired)
    {
        foreach (var type in Order)
        {
            var want = desired[type];
            var known = _subscribed.TryGetValue(type, out var have);
            if (!known && type != TypeUrls.Listener && want.Count == 0) continue;
            if (known && have!.SetEquals(want)) continue;
            _subscribed[type] = new HashSet<string>(want, StringComparer.Ordinal);
            yield return Request(type);
        }
    }

    protected override async Task<DiscoveryRequest> Handle(DiscoveryResponse response)
    {
        var type = response.TypeUrl;
        var (upserts, error) = ResourceDecoder.Decode(type, response.Resources, response.VersionInfo);
        if (error is null)
        {
            var removed = new List<string>();
            if (type is TypeUrls.Listener or TypeUrls.Cluster)
            {
                // A complete answer: held names it lacks are gone, and asked-for names it lacks do not exist.
                var present = upserts.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
                lock (Gate)
                {
                    var asked = _subscribed.TryGetValue(type, out var names) ? names : [];
                    removed.AddRange(Store.Current.Resources.Of(type).Keys.Concat(asked).Distinct().Where(n => !present.Contains(n)));
                }
            }
            error = await Store.Apply(type, upserts, removed, response.VersionInfo);
        }
        Metrics.XdsUpdate(TypeUrls.ShortName(type), error is null);
        lock (Gate)
        {
            var accepted = error is null ? response.VersionInfo : _last.TryGetValue(type, out var last) ? last.Version : "";
            _last[type] = (accepted, response.Nonce);
            var answer = Request(type);
            answer.ErrorDetail = Nack(error);
            return answer;
        }
    }

    private DiscoveryRequest Request(string type)
    {
        var request = new DiscoveryRequest { TypeUrl = type };
        if (_last.TryGetValue(type, out var last))
        {
            request.VersionInfo = last.Version;
            request.ResponseNonce = last.Nonce;
        }
        if (type == TypeUrls.Listener) request.ResourceNames.Add("*");
        if (_subscribed.TryGetValue(type, out var names)) request.ResourceNames.Add(names.Order(StringComparer.Ordinal));
        return request;
    }
}
