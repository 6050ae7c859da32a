using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Xds.Cache;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

/// <summary>One state-of-the-world ADS stream (or a per-type xDS stream, which is the same with one type):
/// requests and change news are handled one at a time by a single loop, which owns all the stream's state.</summary>
internal sealed partial class SotwStream(
    IAsyncStreamReader<DiscoveryRequest> requests,
    IServerStreamWriter<DiscoveryResponse> responses,
    StreamContext context,
    CancellationToken cancellationToken) : XdsStream<DiscoveryRequest>(requests, context, cancellationToken)
{
    private const string ResourceInSotw = "xds.config.resource-in-sotw";
    private bool _wrapResources;
    private long _nonce;

    protected override async Task Push(StreamEvent.Changed changed)
    {
        foreach (var type in changed.Resources.Select(r => r.Type).Distinct())
        {
            await Send(type, force: false, changed.Origin);
        }
    }

    protected override async Task Handle(DiscoveryRequest request)
    {
        if (await Open(request.Node, delta: false))
        {
            _wrapResources = request.Node.ClientFeatures.Contains(ResourceInSotw);
        }
        var type = request.TypeUrl;
        var isNew = !Types.TryGetValue(type, out var state);
        state ??= Types[type] = new TypeState();
        LogRequest(Logger, NodeId, TypeUrls.ShortName(type), request.ResponseNonce, request.VersionInfo, request.ErrorDetail?.Message ?? "", request.ResourceNames.Count, state.LastNonce);

        if (request.ResponseNonce.Length > 0)
        {
            // A request answering an older response than the last one sent says nothing current: ignore it.
            if (request.ResponseNonce != state.LastNonce) return;
            Answered(type, state, request.ResponseNonce, request.VersionInfo, request.ErrorDetail?.Message);
        }

        // An empty list is a wildcard only on the first request for the type; after that it unsubscribes all.
        var names = request.ResourceNames.Where(n => n != "*").ToHashSet(StringComparer.Ordinal);
        state.Wildcard = isNew ? request.ResourceNames.Count == 0 || request.ResourceNames.Contains("*") : state.Wildcard && request.ResourceNames.Contains("*");
        var added = names.Except(state.Names).ToList();
        foreach (var name in state.Names.Except(names).ToList())
        {
            state.Names.Remove(name);
            state.Versions.Remove(name);
            Context.Cache.Unwatch(this, type, name);
        }
        foreach (var name in added)
        {
            state.Names.Add(name);
            Context.Cache.Watch(this, type, name);
        }
        // A (re)connecting client (empty nonce) is answered even when its versions match; so is a new name.
        if (request.ResponseNonce.Length == 0 || added.Count > 0)
        {
            await Send(type, force: true, origin: null);
        }
    }

    private async Task Send(string type, bool force, ChangeOrigin? origin)
    {
        if (!Types.TryGetValue(type, out var state)) return;
        var found = new List<XdsResource>();
        foreach (var name in state.Names.Order(StringComparer.Ordinal))
        {
            if (await Fetch(type, name) is { } resource) found.Add(resource);
        }
        var version = ContentHash.Of(found.Select(r => (r.Name, r.Version)));
        LogSend(Logger, NodeId, TypeUrls.ShortName(type), version, state.LastVersion, force);
        if (!force && version == state.LastVersion) return;

        using var activity = XdsMetrics.StartPush(origin);
        activity?.SetTag("xds.node", NodeId);
        activity?.SetTag("xds.type", TypeUrls.ShortName(type));
        activity?.SetTag("xds.version", version);
        var response = new DiscoveryResponse { TypeUrl = type, VersionInfo = version, Nonce = (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        response.Resources.Add(found.Select(Wrap));
        await responses.WriteAsync(response, CancellationToken);

        state.LastNonce = response.Nonce;
        state.LastVersion = version;
        if (origin is not null) state.PendingSince ??= origin.ChangedAt;
        var sent = found.ToDictionary(r => r.Name, r => r.Version, StringComparer.Ordinal);
        Recorder!.Sent(type, version, response.Nonce, sent, state.Names.Count);
        Context.Metrics.Pushed(TypeUrls.ShortName(type), response.CalculateSize());
    }

    private Any Wrap(XdsResource resource) => _wrapResources
        ? Any.Pack(new Resource { Name = resource.Name, Version = resource.Version, Resource_ = resource.Payload })
        : resource.Payload;

    [LoggerMessage(EventId = 5205, Level = LogLevel.Debug, Message = "{NodeId} {Type} request: nonce {Nonce}, version {Version}, error {Error}, {Names} names; last nonce sent {LastNonce}")]
    private static partial void LogRequest(ILogger logger, string nodeId, string type, string nonce, string version, string error, int names, string lastNonce);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Debug, Message = "{NodeId} {Type}: version {Version}, last sent {LastVersion}, forced {Force}")]
    private static partial void LogSend(ILogger logger, string nodeId, string type, string version, string lastVersion, bool force);


}
