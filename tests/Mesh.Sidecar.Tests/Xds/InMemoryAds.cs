using System.Threading.Channels;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Xds;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Sidecar.Tests.Xds;

/// <summary>An ADS server in memory, behind the gRPC client the sessions use: the test reads what the sidecar sent
/// and answers with responses of its own. Every wait is bounded, so a session that stalls fails the test.</summary>
internal sealed class InMemoryAds : CallInvoker, IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Channel<object> _requests = Channel.CreateUnbounded<object>();
    private readonly Channel<object> _responses = Channel.CreateUnbounded<object>();
    private Task<bool> _running = Task.FromResult(false);
    private int _connected;

    private InMemoryAds(ConfigStore store) => Store = store;

    public static Node Node { get; } = new() { Id = "sidecar~10.0.0.9~client.default~default.svc.cluster.local" };

    /// <summary>The sidecar's config the session applies responses to.</summary>
    public ConfigStore Store { get; }

    /// <summary>How many times the session said it was connected (at the first response).</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Whether the sidecar closed its side of the stream.</summary>
    public bool RequestsCompleted { get; private set; }

    /// <summary>The session's run: whether the server answered at all.</summary>
    public Task<bool> Running => _running.WaitAsync(Patience);

    /// <summary>A state-of-the-world session on a stream to this server, with <paramref name="store"/> or an empty one.</summary>
    public static Task<InMemoryAds> Sotw(ConfigStore? store = null, CancellationToken closing = default)
        => Start(store, (client, held) => new SotwSession(client, Node, held, new SidecarMetrics(), NullLogger.Instance), closing);

    /// <summary>A delta session on a stream to this server, with <paramref name="store"/> or an empty one.</summary>
    public static Task<InMemoryAds> Delta(ConfigStore? store = null)
        => Start(store, (client, held) => new DeltaSession(client, Node, held, new SidecarMetrics(), NullLogger.Instance), default);

    private static async Task<InMemoryAds> Start(ConfigStore? store, Func<AggregatedDiscoveryService.AggregatedDiscoveryServiceClient, ConfigStore, IXdsSession> session, CancellationToken closing)
    {
        var ads = new InMemoryAds(store ?? await Proxy.Outbound.Store());
        ads._running = session(new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(ads), ads.Store)
            .Run(() => Interlocked.Increment(ref ads._connected), CancellationToken.None, closing);
        return ads;
    }

    public async ValueTask DisposeAsync()
    {
        End();
        await Running;
    }

    /// <summary>The next request the sidecar sent that satisfies <paramref name="match"/>; others are passed over.</summary>
    public async Task<T> Next<T>(Func<T, bool>? match = null) where T : class
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var request = await _requests.Reader.ReadAsync(timeout.Token);
            if (request is T typed && (match?.Invoke(typed) ?? true)) return typed;
        }
    }

    public void Respond(object response) => _responses.Writer.TryWrite(response);

    /// <summary>The server ends the stream.</summary>
    public void End() => _responses.Writer.TryComplete();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        => new(new Writer<TRequest>(this), new Reader<TResponse>(_responses.Reader), Task.FromResult(new Grpc.Core.Metadata()), () => Status.DefaultSuccess, () => [], () => { });

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

    private sealed class Writer<T>(InMemoryAds ads) : IClientStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => ads._requests.Writer.WriteAsync(message!).AsTask();

        public Task CompleteAsync()
        {
            ads.RequestsCompleted = true;
            ads._requests.Writer.TryComplete();
            return Task.CompletedTask;
        }
    }

    private sealed class Reader<T>(ChannelReader<object> responses) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await responses.WaitToReadAsync(cancellationToken) || !responses.TryRead(out var next)) return false;
            Current = (T)next;
            return true;
        }
    }
}
