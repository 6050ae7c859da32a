using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Mesh.Silo.Tests.Access;

/// <summary>A server call of a given method with given headers, for driving interceptors without a server; its
/// HttpContext is found where gRPC looks for one outside ASP.NET Core (the <c>__HttpContext</c> user state).</summary>
public sealed class TestCallContext : ServerCallContext
{
    private readonly string _method;
    private readonly Metadata _headers;

    public TestCallContext(string method, string? bearer = null, HttpContext? http = null)
    {
        _method = method;
        _headers = bearer is null ? [] : new Metadata { { "authorization", $"Bearer {bearer}" } };
        if (http is not null) UserState["__HttpContext"] = http;
    }

    protected override string MethodCore => _method;
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
