using System.Threading.Channels;
using Envoy.Config.Core.V3;
using Grpc.Core;
using Mesh.Sidecar.Config;
using Microsoft.Extensions.Logging;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Xds;

/// <summary>What both protocols share: requests go through one outbox written by one loop; responses are applied one
/// at a time, each answered with an ACK or a NACK; the names the proxy needs are re-sent whenever they change; and
/// closing ends the request side so that the server sees a graceful end.</summary>
internal abstract class XdsSession<TRequest, TResponse>(Node node, ConfigStore store, SidecarMetrics metrics, ILogger logger) : IXdsSession
    where TRequest : class
    where TResponse : class
{
    private readonly Channel<TRequest> _outbox = Channel.CreateUnbounded<TRequest>(new UnboundedChannelOptions { SingleReader = true });
    private bool _nodeSent;

    protected readonly object Gate = new();
    protected ConfigStore Store => store;
    protected SidecarMetrics Metrics => metrics;
    protected ILogger Logger => logger;

    /// <summary>Types in the order their first requests go out: clusters and endpoints before listeners and routes.</summary>
    protected static IReadOnlyList<string> Order { get; } = [TypeUrls.Secret, TypeUrls.Listener, TypeUrls.Route, TypeUrls.Cluster, TypeUrls.Endpoint];

    protected abstract AsyncDuplexStreamingCall<TRequest, TResponse> Open(CancellationToken cancellationToken);

    /// <summary>Requests that bring the server's subscriptions in line with <paramref name="desired"/>.</summary>
    protected abstract IEnumerable<TRequest> Subscriptions(IReadOnlyDictionary<string, IReadOnlySet<string>> desired);

    /// <summary>Applies a response and returns its ACK or NACK.</summary>
    protected abstract Task<TRequest> Handle(TResponse response);

    protected abstract void SetNode(TRequest request, Node node);

    public async Task<bool> Run(Action connected, CancellationToken stopping, CancellationToken closing)
    {
        using var call = Open(stopping);
        var answered = false;
        void Sync()
        {
            lock (Gate)
            {
                foreach (var request in Subscriptions(Store.Desired())) Send(request);
            }
        }
        Store.SubscriptionsChanged += Sync;
        var writing = Write(call.RequestStream, stopping);
        using var closeRegistration = closing.Register(() => _outbox.Writer.TryComplete());
        try
        {
            Sync();
            await foreach (var response in call.ResponseStream.ReadAllAsync(stopping))
            {
                if (!answered)
                {
                    answered = true;
                    connected();
                }
                var answer = await Handle(response);
                lock (Gate) Send(answer);
            }
        }
        catch (RpcException exception) when (closing.IsCancellationRequested && exception.StatusCode == StatusCode.Cancelled)
        {
        }
        finally
        {
            Store.SubscriptionsChanged -= Sync;
            _outbox.Writer.TryComplete();
            try
            {
                await writing;
            }
            catch (Exception exception) when (exception is RpcException or IOException or OperationCanceledException or InvalidOperationException)
            {
            }
        }
        return answered;
    }

    private void Send(TRequest request)
    {
        if (!_nodeSent)
        {
            SetNode(request, node);
            _nodeSent = true;
        }
        _outbox.Writer.TryWrite(request);
    }

    private async Task Write(IClientStreamWriter<TRequest> requests, CancellationToken cancellationToken)
    {
        await foreach (var request in _outbox.Reader.ReadAllAsync(cancellationToken))
        {
            await requests.WriteAsync(request, cancellationToken);
        }
        // Closed from this side: the server ends the stream and deregisters the workload at once.
        await requests.CompleteAsync();
    }

    protected static Google.Rpc.Status? Nack(string? error) => error is null ? null : new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = error };
}
