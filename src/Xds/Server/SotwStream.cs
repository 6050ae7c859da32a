using System.Threading.Channels;
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
    CancellationToken cancellationToken) : IXdsStream
{
    private const string ResourceInSotw = "xds.config.resource-in-sotw";
    private readonly Channel<StreamEvent> _inbox = Channel.CreateBounded<StreamEvent>(context.Options.StreamQueueCapacity);
    private readonly Dictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private readonly ILogger _logger = context.Loggers.CreateLogger<SotwStream>();
    private ProxyStatusRecorder? _recorder;
    private string _nodeId = "";
    private bool _wrapResources;
    private long _nonce;
    private volatile bool _overflowed;

    public async Task Run()
    {
        context.Metrics.StreamOpened();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => Read(ended.Token), CancellationToken.None);
        try
        {
            await foreach (var item in _inbox.Reader.ReadAllAsync(ended.Token))
            {
                switch (item)
                {
                    case StreamEvent.Request request:
                        await Handle(request.Message);
                        break;
                    case StreamEvent.Changed changed:
                        foreach (var type in changed.Resources.Select(r => r.Type).Distinct())
                        {
                            await Send(type, force: false, changed.ChangedAt);
                        }
                        break;
                }
            }
            if (_overflowed)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "the proxy did not keep up with config pushes; reconnect to resync"));
            }
        }
        finally
        {
            await ended.CancelAsync();
            await reading;
            foreach (var (type, state) in _types)
            {
                foreach (var name in state.Names) context.Index.Unsubscribe(this, type, name);
            }
            if (_recorder is not null) await _recorder.DisposeAsync();
            context.Metrics.StreamClosed();
        }
    }

    public void OnResourcesChanged(IReadOnlyList<(string Type, string Name)> changed, DateTimeOffset changedAt)
    {
        if (_inbox.Writer.TryWrite(new StreamEvent.Changed(changed, changedAt))) return;
        // The proxy is not reading: close its stream rather than let it hold anyone else up.
        _overflowed = true;
        _inbox.Writer.TryComplete();
        LogOverflow(_logger, _nodeId);
    }

    private async Task Read(CancellationToken token)
    {
        try
        {
            while (await requests.MoveNext(token))
            {
                await _inbox.Writer.WriteAsync(new StreamEvent.Request(requests.Current), token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ChannelClosedException
            || (exception is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }

    private async Task Handle(DiscoveryRequest request)
    {
        if (_recorder is null)
        {
            _nodeId = request.Node?.Id ?? "";
            if (_nodeId.Length == 0) throw new RpcException(new Status(StatusCode.InvalidArgument, "the first request of a stream must carry node.id"));
            _wrapResources = request.Node!.ClientFeatures.Contains(ResourceInSotw);
            var version = request.Node.UserAgentName + " " + (request.Node.UserAgentVersion ?? request.Node.UserAgentBuildVersion?.Version?.ToString());
            _recorder = new ProxyStatusRecorder(context.Grains, _nodeId, context.Silo, delta: false, version.Trim(), _logger);
            LogConnected(_logger, _nodeId, version.Trim());
        }
        var type = request.TypeUrl;
        var isNew = !_types.TryGetValue(type, out var state);
        state ??= _types[type] = new TypeState();
        LogRequest(_logger, _nodeId, TypeUrls.ShortName(type), request.ResponseNonce, request.VersionInfo, request.ErrorDetail?.Message ?? "", request.ResourceNames.Count, state.LastNonce);

        if (request.ResponseNonce.Length > 0)
        {
            // A request answering an older response than the last one sent says nothing current: ignore it.
            if (request.ResponseNonce != state.LastNonce) return;
            if (request.ErrorDetail is { } error)
            {
                _recorder.Nacked(type, request.ResponseNonce, error.Message);
                context.Metrics.Nacked(TypeUrls.ShortName(type));
                LogNack(_logger, _nodeId, TypeUrls.ShortName(type), error.Message);
            }
            else
            {
                _recorder.Acked(type, request.VersionInfo, request.ResponseNonce);
                if (state.PendingSince is { } since)
                {
                    context.Metrics.Converged(TypeUrls.ShortName(type), DateTimeOffset.UtcNow - since);
                    state.PendingSince = null;
                }
            }
        }

        // An empty list is a wildcard only on the first request for the type; after that it unsubscribes all.
        var names = request.ResourceNames.Where(n => n != "*").ToHashSet(StringComparer.Ordinal);
        state.Wildcard = isNew ? request.ResourceNames.Count == 0 || request.ResourceNames.Contains("*") : state.Wildcard && request.ResourceNames.Contains("*");
        var added = names.Except(state.Names).ToList();
        foreach (var name in state.Names.Except(names).ToList())
        {
            state.Names.Remove(name);
            state.Versions.Remove(name);
            context.Index.Unsubscribe(this, type, name);
        }
        foreach (var name in added)
        {
            state.Names.Add(name);
            context.Index.Subscribe(this, type, name);
        }
        // A (re)connecting client (empty nonce) is answered even when its versions match; so is a new name.
        if (request.ResponseNonce.Length == 0 || added.Count > 0)
        {
            await Send(type, force: true, changedAt: null);
        }
    }

    private async Task Send(string type, bool force, DateTimeOffset? changedAt)
    {
        if (!_types.TryGetValue(type, out var state)) return;
        var found = new List<XdsResource>();
        foreach (var name in state.Names.Order(StringComparer.Ordinal))
        {
            if (await context.Cache.Get(type, name) is { } resource) found.Add(resource);
        }
        var version = VersionOf(found.Select(r => (r.Name, r.Version)));
        LogSend(_logger, _nodeId, TypeUrls.ShortName(type), version, state.LastVersion, force);
        if (!force && version == state.LastVersion) return;

        using var activity = XdsMetrics.Activities.StartActivity("xds.push");
        activity?.SetTag("xds.node", _nodeId);
        activity?.SetTag("xds.type", TypeUrls.ShortName(type));
        activity?.SetTag("xds.version", version);
        var response = new DiscoveryResponse { TypeUrl = type, VersionInfo = version, Nonce = (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        response.Resources.Add(found.Select(Wrap));
        await responses.WriteAsync(response, cancellationToken);

        state.LastNonce = response.Nonce;
        state.LastVersion = version;
        if (changedAt is not null) state.PendingSince ??= changedAt;
        var sent = found.ToDictionary(r => r.Name, r => r.Version, StringComparer.Ordinal);
        _recorder!.Sent(type, version, response.Nonce, sent, state.Names.Count);
        context.Metrics.Pushed(TypeUrls.ShortName(type), response.CalculateSize());
    }

    private Any Wrap(XdsResource resource) => _wrapResources
        ? Any.Pack(new Resource { Name = resource.Name, Version = resource.Version, Resource_ = resource.Payload })
        : resource.Payload;

    /// <summary>The type-level version: a hash of the names and versions sent, the same on every silo.</summary>
    internal static string VersionOf(IEnumerable<(string Name, string Version)> resources)
    {
        var text = string.Join('\n', resources.Select(r => $"{r.Name}={r.Version}"));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    [LoggerMessage(EventId = 5205, Level = LogLevel.Debug, Message = "{NodeId} {Type} request: nonce {Nonce}, version {Version}, error {Error}, {Names} names; last nonce sent {LastNonce}")]
    private static partial void LogRequest(ILogger logger, string nodeId, string type, string nonce, string version, string error, int names, string lastNonce);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Debug, Message = "{NodeId} {Type}: version {Version}, last sent {LastVersion}, forced {Force}")]
    private static partial void LogSend(ILogger logger, string nodeId, string type, string version, string lastVersion, bool force);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "xDS stream from {NodeId} ({Client}) opened")]
    private static partial void LogConnected(ILogger logger, string nodeId, string client);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "{NodeId} rejected {Type}: {Error}")]
    private static partial void LogNack(ILogger logger, string nodeId, string type, string error);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "The xDS stream of {NodeId} fell too far behind and is closed; the proxy will reconnect and resync")]
    private static partial void LogOverflow(ILogger logger, string nodeId);
}
