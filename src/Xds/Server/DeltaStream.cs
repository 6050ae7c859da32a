using System.Threading.Channels;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

/// <summary>One incremental (delta) ADS stream: per-resource versions, subscribe and unsubscribe by name,
/// <c>removed_resources</c> for what went away, and nothing resent that the client already has.</summary>
internal sealed partial class DeltaStream(
    IAsyncStreamReader<DeltaDiscoveryRequest> requests,
    IServerStreamWriter<DeltaDiscoveryResponse> responses,
    StreamContext context,
    CancellationToken cancellationToken) : IXdsStream
{
    private readonly Channel<StreamEvent> _inbox = Channel.CreateBounded<StreamEvent>(context.Options.StreamQueueCapacity);
    private readonly Dictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private readonly ILogger _logger = context.Loggers.CreateLogger<DeltaStream>();
    private ProxyStatusRecorder? _recorder;
    private string _nodeId = "";
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
                    case StreamEvent.DeltaRequest request:
                        await Handle(request.Message);
                        break;
                    case StreamEvent.Changed changed:
                        foreach (var group in changed.Resources.GroupBy(r => r.Type))
                        {
                            await Send(group.Key, group.Select(r => r.Name), changed.ChangedAt);
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
        _overflowed = true;
        _inbox.Writer.TryComplete();
    }

    private async Task Read(CancellationToken token)
    {
        try
        {
            while (await requests.MoveNext(token))
            {
                await _inbox.Writer.WriteAsync(new StreamEvent.DeltaRequest(requests.Current), token);
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

    private async Task Handle(DeltaDiscoveryRequest request)
    {
        if (_recorder is null)
        {
            _nodeId = request.Node?.Id ?? "";
            if (_nodeId.Length == 0) throw new RpcException(new Status(StatusCode.InvalidArgument, "the first request of a stream must carry node.id"));
            var version = (request.Node!.UserAgentName + " " + request.Node.UserAgentVersion).Trim();
            _recorder = new ProxyStatusRecorder(context.Grains, _nodeId, context.Silo, delta: true, version, _logger);
        }
        var type = request.TypeUrl;
        var isNew = !_types.TryGetValue(type, out var state);
        state ??= _types[type] = new TypeState();
        if (isNew)
        {
            // A reconnecting client says what it has: those are not sent again unless they changed.
            foreach (var (name, version) in request.InitialResourceVersions) state.Versions[name] = version;
            state.Wildcard = request.ResourceNamesSubscribe.Count == 0 || request.ResourceNamesSubscribe.Contains("*");
        }
        if (request.ResponseNonce.Length > 0 && request.ResponseNonce == state.LastNonce)
        {
            if (request.ErrorDetail is { } error)
            {
                _recorder.Nacked(type, request.ResponseNonce, error.Message);
                context.Metrics.Nacked(TypeUrls.ShortName(type));
                LogNack(_logger, _nodeId, TypeUrls.ShortName(type), error.Message);
            }
            else
            {
                _recorder.Acked(type, state.LastVersion, request.ResponseNonce);
                if (state.PendingSince is { } since)
                {
                    context.Metrics.Converged(TypeUrls.ShortName(type), DateTimeOffset.UtcNow - since);
                    state.PendingSince = null;
                }
            }
        }
        foreach (var name in request.ResourceNamesUnsubscribe)
        {
            if (state.Names.Remove(name)) context.Index.Unsubscribe(this, type, name);
            state.Versions.Remove(name);
        }
        var added = request.ResourceNamesSubscribe.Where(n => n != "*" && state.Names.Add(n)).ToList();
        foreach (var name in added) context.Index.Subscribe(this, type, name);
        if (added.Count > 0) await Send(type, added, changedAt: null);
    }

    private async Task Send(string type, IEnumerable<string> names, DateTimeOffset? changedAt)
    {
        if (!_types.TryGetValue(type, out var state)) return;
        var response = new DeltaDiscoveryResponse { TypeUrl = type };
        foreach (var name in names.Where(state.Names.Contains).Distinct().Order(StringComparer.Ordinal))
        {
            var resource = await context.Cache.Get(type, name);
            var known = state.Versions.GetValueOrDefault(name);
            if (resource is null)
            {
                if (known is null) continue;
                response.RemovedResources.Add(name);
                state.Versions.Remove(name);
            }
            else if (resource.Version != known)
            {
                response.Resources.Add(new Resource { Name = name, Version = resource.Version, Resource_ = resource.Payload });
                state.Versions[name] = resource.Version;
            }
        }
        if (response.Resources.Count == 0 && response.RemovedResources.Count == 0) return;

        using var activity = XdsMetrics.Activities.StartActivity("xds.push");
        activity?.SetTag("xds.node", _nodeId);
        activity?.SetTag("xds.type", TypeUrls.ShortName(type));
        response.Nonce = (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.SystemVersionInfo = SotwStream.VersionOf(state.Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value)));
        await responses.WriteAsync(response, cancellationToken);
        state.LastNonce = response.Nonce;
        state.LastVersion = response.SystemVersionInfo;
        if (changedAt is not null) state.PendingSince ??= changedAt;
        _recorder!.Sent(type, state.LastVersion, response.Nonce, new Dictionary<string, string>(state.Versions), state.Names.Count);
        context.Metrics.Pushed(TypeUrls.ShortName(type), response.CalculateSize());
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "{NodeId} rejected {Type} (delta): {Error}")]
    private static partial void LogNack(ILogger logger, string nodeId, string type, string error);
}
