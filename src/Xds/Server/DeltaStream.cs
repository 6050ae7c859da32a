using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Mesh.Xds.Cache;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

/// <summary>One incremental (delta) ADS stream: per-resource versions, subscribe and unsubscribe by name,
/// <c>removed_resources</c> for what went away, and nothing resent that the client already has.</summary>
internal sealed partial class DeltaStream(
    IAsyncStreamReader<DeltaDiscoveryRequest> requests,
    IServerStreamWriter<DeltaDiscoveryResponse> responses,
    StreamContext context,
    CancellationToken cancellationToken) : XdsStream<DeltaDiscoveryRequest>(requests, context, cancellationToken)
{
    private long _nonce;

    protected override async Task Push(StreamEvent.Changed changed)
    {
        foreach (var group in changed.Resources.GroupBy(r => r.Type))
        {
            await Send(group.Key, group.Select(r => r.Name), changed.Origin);
        }
    }

    protected override async Task Handle(DeltaDiscoveryRequest request)
    {
        await Open(request.Node, delta: true);
        var type = request.TypeUrl;
        var isNew = !Types.TryGetValue(type, out var state);
        state ??= Types[type] = new TypeState();
        if (isNew)
        {
            // A reconnecting client says what it has: those are not sent again unless they changed.
            foreach (var (name, version) in request.InitialResourceVersions) state.Versions[name] = version;
            state.Wildcard = request.ResourceNamesSubscribe.Count == 0 || request.ResourceNamesSubscribe.Contains("*");
        }
        if (request.ResponseNonce.Length > 0 && request.ResponseNonce == state.LastNonce)
        {
            Answered(type, state, request.ResponseNonce, state.LastVersion, request.ErrorDetail?.Message);
        }
        foreach (var name in request.ResourceNamesUnsubscribe)
        {
            if (state.Names.Remove(name)) Context.Cache.Unwatch(this, type, name);
            state.Versions.Remove(name);
        }
        var added = request.ResourceNamesSubscribe.Where(n => n != "*" && state.Names.Add(n)).ToList();
        foreach (var name in added) Context.Cache.Watch(this, type, name);
        if (added.Count > 0 || (isNew && state.Wildcard)) await Send(type, added, origin: null, subscribed: true);
    }

    /// <param name="subscribed">The names were just subscribed to: those that do not exist are said so in
    /// <c>removed_resources</c> (so that a proxy waiting for them stops waiting), and a new wildcard subscription is
    /// answered even when it is empty.</param>
    private async Task Send(string type, IEnumerable<string> names, ChangeOrigin? origin, bool subscribed = false)
    {
        if (!Types.TryGetValue(type, out var state)) return;
        var response = new DeltaDiscoveryResponse { TypeUrl = type };
        foreach (var name in names.Where(state.Names.Contains).Distinct().Order(StringComparer.Ordinal))
        {
            var resource = await Fetch(type, name);
            var known = state.Versions.GetValueOrDefault(name);
            if (resource is null)
            {
                if (known is null && !subscribed) continue;
                response.RemovedResources.Add(name);
                state.Versions.Remove(name);
            }
            else if (resource.Version != known)
            {
                response.Resources.Add(new Resource { Name = name, Version = resource.Version, Resource_ = resource.Payload });
                state.Versions[name] = resource.Version;
            }
        }
        if (response.Resources.Count == 0 && response.RemovedResources.Count == 0 && !subscribed) return;

        using var activity = XdsMetrics.StartPush(origin);
        activity?.SetTag("xds.node", NodeId);
        activity?.SetTag("xds.type", TypeUrls.ShortName(type));
        response.Nonce = (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.SystemVersionInfo = ContentHash.Of(state.Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value)));
        await responses.WriteAsync(response, CancellationToken);
        state.LastNonce = response.Nonce;
        state.LastVersion = response.SystemVersionInfo;
        if (origin is not null) state.PendingSince ??= origin.ChangedAt;
        Recorder!.Sent(type, state.LastVersion, response.Nonce, new Dictionary<string, string>(state.Versions), state.Names.Count);
        Context.Metrics.Pushed(TypeUrls.ShortName(type), response.CalculateSize());
    }
}
