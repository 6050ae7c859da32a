using System.Threading.Channels;
using Grpc.Core;
using Mesh.Config.Keys;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

/// <summary>What state-of-the-world and delta streams share: one loop that handles the proxy's requests and the
/// news of changed resources one at a time (so it owns all the stream's state), a bounded inbox that closes the
/// stream when the proxy stops reading, and the cleanup when the stream ends. The protocols themselves live in
/// <see cref="SotwStream"/> and <see cref="DeltaStream"/>.</summary>
internal abstract partial class XdsStream<TRequest>(IAsyncStreamReader<TRequest> requests, StreamContext context, CancellationToken cancellationToken) : Cache.IXdsWatcher
    where TRequest : class
{
    private readonly Channel<object> _inbox = Channel.CreateBounded<object>(context.Options.StreamQueueCapacity);
    private volatile bool _overflowed;

    protected StreamContext Context => context;

    protected CancellationToken CancellationToken => cancellationToken;

    protected Dictionary<string, TypeState> Types { get; } = new(StringComparer.Ordinal);

    protected ProxyStatusRecorder? Recorder { get; set; }

    protected string NodeId { get; set; } = "";

    /// <summary>What the proxy authenticated with on the secured port; null on the (loopback) plaintext port.</summary>
    public Security.WorkloadCredential? Credential { get; init; }

    private Registration.WorkloadRegistration? _registration;
    private volatile bool _closedByProxy;

    protected ILogger Logger => field ??= context.Loggers.CreateLogger(GetType());

    protected abstract Task Handle(TRequest request);

    /// <summary>The first request of a stream names the proxy: from then on its status is recorded.</summary>
    /// <returns>False when the stream was already open.</returns>
    protected async Task<bool> Open(Envoy.Config.Core.V3.Node? node, bool delta)
    {
        if (Recorder is not null) return false;
        NodeId = node?.Id ?? "";
        if (NodeId.Length == 0) throw new RpcException(new Status(StatusCode.InvalidArgument, "the first request of a stream must carry node.id"));
        if (Credential is not null && Security.NodeBinding.Mismatch(node!, Credential.Identity) is { } mismatch)
        {
            LogImpersonation(Logger, NodeId, Credential.Identity.ToString(), mismatch);
            throw new RpcException(new Status(StatusCode.PermissionDenied, mismatch));
        }
        var client = $"{node!.UserAgentName} {node.UserAgentVersion ?? node.UserAgentBuildVersion?.Version?.ToString()}".Trim();
        Recorder = new ProxyStatusRecorder(context.Grains, NodeId, context.Silo, delta, client, Logger, context.Renewals, ProxyNodeFacts.Of(node));
        LogConnected(Logger, NodeId, client, delta ? "delta" : "state of the world");
        // Before the first response: a proxy that sees config is registered.
        _registration = Registration.WorkloadRegistration.For(node, $"{NodeId}@{context.Silo}#{Guid.NewGuid():N}", Credential, context.Grains, context.Options.RegistrationLease, Logger);
        if (_registration is not null) await _registration.Start();
        return true;
    }

    /// <summary>The proxy answered the last response of a type: a NACK (with its own error text) or an ACK, which
    /// ends the convergence clock of the change that response carried.</summary>
    protected void Answered(string type, TypeState state, string nonce, string ackedVersion, string? error)
    {
        var shortType = Resources.TypeUrls.ShortName(type);
        if (error is not null)
        {
            Recorder!.Nacked(type, nonce, error);
            context.Metrics.Nacked(shortType);
            LogNack(Logger, NodeId, shortType, error);
            return;
        }
        Recorder!.Acked(type, ackedVersion, nonce);
        if (state.PendingSince is { } since)
        {
            context.Metrics.Converged(shortType, DateTimeOffset.UtcNow - since);
            state.PendingSince = null;
        }
    }

    protected abstract Task Push(StreamEvent.Changed changed);

    /// <summary>The workload this proxy speaks for: the one it registered, else the pod name in its node id
    /// (<c>sidecar~IP~POD.NAMESPACE~...</c>), whose namespace the node binding has checked.</summary>
    private string OwnWorkload()
    {
        if (_registration is not null) return WorkloadKey.TryParse(_registration.Key, out _, out var name) ? name : "";
        return Resources.ProxyNodeId.TryParse(NodeId, out var id) && id.Namespace == Credential?.Identity.Namespace ? id.Workload : "";
    }

    /// <summary>A resource for this proxy: a workload's inbound listener (its policy) goes only to that workload's own
    /// proxy when the proxy authenticated (<see cref="Security.InboundEntitlement"/>), a gateway credential only to the
    /// gateways of its namespace or, granted, to those whose Gateways carry it (<see cref="Security.CredentialEntitlement"/>); anything else is shared. What a proxy is not entitled to reads as missing.</summary>
    protected async Task<Cache.XdsResource?> Fetch(string type, string name)
    {
        if (Credential is not null && type == Resources.TypeUrls.Listener
            && Resources.InboundListenerName.TryParse(name, out var @namespace, out var workload)
            && !await context.Entitlement.Allows(Credential.Identity, OwnWorkload(), @namespace, workload))
        {
            LogNotEntitled(Logger, NodeId, Credential.Identity.ToString(), name);
            return null;
        }
        if (type == Resources.TypeUrls.Secret && Resources.SecretNames.TryParseCredential(name, out _, out _, out _)
            && !await context.Credentials.Allows(NodeId, name))
        {
            LogNotEntitled(Logger, NodeId, Credential?.Identity.ToString() ?? "unauthenticated", name);
            return null;
        }
        return await context.Cache.Get(type, name);
    }

    public async Task Run()
    {
        context.Metrics.StreamOpened();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => Read(ended.Token), CancellationToken.None);
        try
        {
            await foreach (var item in _inbox.Reader.ReadAllAsync(ended.Token))
            {
                await (item is TRequest request ? Handle(request) : Push((StreamEvent.Changed)item));
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
            foreach (var (type, state) in Types)
            {
                foreach (var name in state.Names) context.Cache.Unwatch(this, type, name);
            }
            if (Recorder is not null) await Recorder.DisposeAsync();
            if (_registration is not null) await _registration.End(graceful: _closedByProxy);
            context.Metrics.StreamClosed();
        }
    }

    public void OnResourcesChanged(IReadOnlyList<XdsResourceKey> changed, Cache.ChangeOrigin origin)
    {
        if (_inbox.Writer.TryWrite(new StreamEvent.Changed(changed, origin))) return;
        // The proxy is not reading: close its stream rather than let it hold anyone else up.
        _overflowed = true;
        _inbox.Writer.TryComplete();
        LogOverflow(Logger, NodeId);
    }

    private async Task Read(CancellationToken token)
    {
        try
        {
            while (await requests.MoveNext(token))
            {
                await _inbox.Writer.WriteAsync(requests.Current, token);
            }
            // The proxy closed its side: a graceful stop, not a cut.
            _closedByProxy = true;
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

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "xDS stream from {NodeId} ({Client}, {Protocol}) opened")]
    private static partial void LogConnected(ILogger logger, string nodeId, string client, string protocol);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Warning, Message = "Refused the xDS stream of {NodeId}: it authenticated as {Identity}, but {Mismatch}")]
    private static partial void LogImpersonation(ILogger logger, string nodeId, string identity, string mismatch);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Warning, Message = "{NodeId} ({Identity}) asked for {Name}, which belongs to another workload or namespace; it gets nothing")]
    private static partial void LogNotEntitled(ILogger logger, string nodeId, string identity, string name);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "{NodeId} rejected {Type}: {Error}")]
    private static partial void LogNack(ILogger logger, string nodeId, string type, string error);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "The xDS stream of {NodeId} fell too far behind and is closed; the proxy will reconnect and resync")]
    private static partial void LogOverflow(ILogger logger, string nodeId);
}
