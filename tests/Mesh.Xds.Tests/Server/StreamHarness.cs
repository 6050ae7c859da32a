using System.Threading.Channels;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Mesh.Xds.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Xds.Tests.Server;

/// <summary>One xDS stream run in memory against a <see cref="FakeXdsCache"/>: the test writes the proxy's requests
/// and reads the responses; every wait times out instead of hanging.</summary>
internal sealed class StreamHarness<TRequest, TResponse> : IAsyncDisposable
    where TRequest : class
{
    public static readonly Node Node = new() { Id = "sidecar~10.0.0.1~reviews-v1.bookinfo~bookinfo.svc.cluster.local" };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Channel<TRequest> _requests = Channel.CreateUnbounded<TRequest>();
    private readonly Channel<TResponse> _responses = Channel.CreateUnbounded<TResponse>();
    private readonly CancellationTokenSource _cut = new();
    private readonly XdsMetrics _metrics = new();
    private readonly Task _run;

    public StreamHarness(Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, StreamContext, CancellationToken, Task> stream,
        Mesh.Xds.Security.CredentialEntitlement? credentials = null)
    {
        var context = new StreamContext(Cache, _metrics, new XdsOptions(), ProxyGrains.Create(out var reported), "silo-1",
            NullLoggerFactory.Instance, Authenticator: null!, Entitlement: null!);
        if (credentials is not null) context = context with { Credentials = credentials };
        Reported = reported;
        _run = Task.Run(() => stream(new Reader(_requests.Reader), new Writer(_responses.Writer), context, _cut.Token));
    }

    public FakeXdsCache Cache { get; } = new();

    public ProxyGrain Reported { get; }

    public void Send(TRequest request) => _requests.Writer.TryWrite(request);

    public async Task<TResponse> Next() => await _responses.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>The proxy closes its side; returns once the stream has ended and reported its last status.</summary>
    public async Task End()
    {
        _requests.Writer.TryComplete();
        await _run.WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _cut.CancelAsync();
        try
        {
            await _run.WaitAsync(Patience);
        }
        catch (OperationCanceledException)
        {
        }
        _metrics.Dispose();
        _cut.Dispose();
    }

    private sealed class Reader(ChannelReader<TRequest> requests) : IAsyncStreamReader<TRequest>
    {
        public TRequest Current { get; private set; } = null!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await requests.WaitToReadAsync(cancellationToken)) return false;
            Current = await requests.ReadAsync(cancellationToken);
            return true;
        }
    }

    private sealed class Writer(ChannelWriter<TResponse> responses) : IServerStreamWriter<TResponse>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(TResponse message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(TResponse message, CancellationToken cancellationToken) => responses.WriteAsync(message, cancellationToken).AsTask();
    }
}

/// <summary>The two protocols' harnesses.</summary>
internal static class StreamHarness
{
    public static StreamHarness<DiscoveryRequest, DiscoveryResponse> Sotw(Mesh.Xds.Security.CredentialEntitlement? credentials = null) =>
        new((requests, responses, context, token) => new SotwStream(requests, responses, context, token).Run(), credentials);

    public static StreamHarness<DeltaDiscoveryRequest, DeltaDiscoveryResponse> Delta() =>
        new((requests, responses, context, token) => new DeltaStream(requests, responses, context, token).Run());
}
