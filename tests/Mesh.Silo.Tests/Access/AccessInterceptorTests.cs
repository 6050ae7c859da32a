using Grpc.Core;
using Mesh.Silo.Access;
using Microsoft.AspNetCore.Http;

namespace Mesh.Silo.Tests.Access;

public sealed class AccessInterceptorTests
{
    private static readonly AccessInterceptor Interceptor = new();

    [Fact]
    public async Task AdmittedCall_ReachesTheHandlerWithItsCaller()
    {
        var http = new DefaultHttpContext();
        http.SetCaller(ApiUser.Local);

        var caller = await Interceptor.UnaryServerHandler<string, ApiUser>("request", new TestCallContext("/mesh.v1.ConfigService/Get", http: http),
            (_, call) => Task.FromResult(call.Caller()));

        Assert.Same(ApiUser.Local, caller);
    }

    [Fact]
    public async Task ApiCallTheGateDidNotAdmit_Refused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Interceptor.UnaryServerHandler<string, string>("request",
            new TestCallContext("/mesh.v1.ConfigService/Get", http: new DefaultHttpContext()), (_, _) => Task.FromResult("served")));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("not admitted by the API gate", error.Status.Detail);
    }

    [Fact]
    public async Task NotAManagementApiMethod_PassesUntouched()
    {
        var context = new TestCallContext("/envoy.service.cluster.v3.ClusterDiscoveryService/FetchClusters", http: new DefaultHttpContext());

        var response = await Interceptor.UnaryServerHandler<string, string>("request", context, (_, _) => Task.FromResult("served"));

        Assert.Equal("served", response);
    }
}
