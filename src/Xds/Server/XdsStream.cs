using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Server;

/// <summary>What state-of-the-world and delta streams share: one loop that handles the proxy's requests and the
/// news of changed resources one at a time (so it owns all the stream's state), a bounded inbox that closes the
/// stream when the proxy stops reading, and the cleanup when the stream ends. The protocols themselves live in
/// <see cref="SotwStream"/> and <see cref="DeltaStream"/>.</summary>
internal abstract partial class XdsStream<TRequest>(IAsyncStreamReader<TRequest> requests, StreamContext context, CancellationToken cancellationToken) : IXdsStream
    where TRequest : class
{
    private readonly Channel<object> _inbox = Channel.CreateBounded<object>(context.Options.StreamQueueCapacity);
    private volatile bool _overflowed;

    protected StreamContext Context => context;

    protected CancellationToken CancellationToken => cancellationToken;

    protected Dictionary<string, TypeState> Types { get; } = new(StringComparer.Ordinal);

    protected ProxyStatusRecorder? Recorder { get; set; }

    protected string NodeId { get; set; } = "";

    protected ILogger Logger => field ??= context.Loggers.CreateLogger(GetType());

    protected abstract Task Handle(TRequest request);

    protected abstract Task Push(StreamEvent.Changed changed);

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
                foreach (var name in state.Names) context.Index.Unsubscribe(this, type, name);
            }
            if (Recorder is not null) await Recorder.DisposeAsync();
            context.Metrics.StreamClosed();
        }
    }

    public void OnResourcesChanged(IReadOnlyList<(string Type, string Name)> changed, Cache.ChangeOrigin origin)
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

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "The xDS stream of {NodeId} fell too far behind and is closed; the proxy will reconnect and resync")]
    private static partial void LogOverflow(ILogger logger, string nodeId);
}
