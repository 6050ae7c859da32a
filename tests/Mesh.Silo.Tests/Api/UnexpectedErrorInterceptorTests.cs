using Grpc.Core;
using Mesh.Silo.Api;
using Mesh.Silo.Tests.Access;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Silo.Tests.Api;

public sealed class UnexpectedErrorInterceptorTests
{
    private static readonly UnexpectedErrorInterceptor Interceptor = new(NullLogger<UnexpectedErrorInterceptor>.Instance);

    [Fact]
    public async Task UnhandledException_BecomesAStatusThatNamesIt()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor.UnaryServerHandler<string, string>("request",
            new TestCallContext("/mesh.v1.ConfigService/Get"), (_, _) => throw new InvalidOperationException("the handler broke")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("InvalidOperationException: the handler broke", error.Status.Detail);
        Assert.DoesNotContain("Exception was thrown by handler", error.Status.Detail);
    }

    [Fact]
    public async Task AStatusTheHandlerChose_PassesAsItIs()
    {
        var chosen = ApiErrors.NotFound("not here");

        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor.UnaryServerHandler<string, string>("request",
            new TestCallContext("/mesh.v1.ConfigService/Get"), (_, _) => throw chosen));

        Assert.Same(chosen, error);
    }

    [Fact]
    public async Task AStreamsUnhandledException_BecomesAStatusToo()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor.ServerStreamingServerHandler<string, string>("request", null!,
            new TestCallContext("/mesh.v1.ConfigService/Watch"), (_, _, _) => throw new Orleans.Runtime.SiloUnavailableException("gone")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
