using Grpc.Core;

namespace Mesh.Silo.Tests.Access;

/// <summary>A server call of a given method with given headers, for driving interceptors without a server.</summary>
public sealed class TestCallContext(string method, string? bearer = null) : ServerCallContext
{
    private readonly Metadata _headers = bearer is null ? [] : new Metadata { { "authorization", $"Bearer {bearer}" } };

    protected override string MethodCore => method;
    protected override string HostCore => "127.0.0.1";
    protected override string PeerCore => "ipv4:127.0.0.1:50000";
    protected override DateTime DeadlineCore => DateTime.MaxValue;
    protected override Metadata RequestHeadersCore => _headers;
    protected override CancellationToken CancellationTokenCore => CancellationToken.None;
    protected override Metadata ResponseTrailersCore { get; } = [];
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore => new(null, []);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
}
