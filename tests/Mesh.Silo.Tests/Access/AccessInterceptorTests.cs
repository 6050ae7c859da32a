using Grpc.Core;
using Mesh.Silo.Access;

namespace Mesh.Silo.Tests.Access;

public sealed class AccessInterceptorTests
{
    private static readonly ApiUser Bob = new("bob", ApiRole.Editor, ["shop"]);
    private static readonly ApiUser Carol = new("carol", ApiRole.Viewer, []);
    private static readonly AccessInterceptor Guarded = new(new ApiUsers([(ApiUsers.Hash("bob-token"), Bob), (ApiUsers.Hash("carol-token"), Carol)]));

    [Fact]
    public async Task KnownToken_ReadMethod_CallerHandedToTheService()
    {
        var context = new TestCallContext("/mesh.v1.ConfigService/Get", "carol-token");

        var caller = await Call(Guarded, context);

        Assert.Same(Carol, caller);
    }

    [Fact]
    public async Task Viewer_WriteMethod_AdmittedForTheHandlerToCheckNamespaces()
    {
        Assert.Same(Carol, await Call(Guarded, new TestCallContext("/mesh.v1.ConfigService/Apply", "carol-token")));
    }

    [Fact]
    public async Task Editor_AdminMethod_DeniedNamingUserRoleAndMethod()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Call(Guarded, new TestCallContext("/mesh.v1.SecurityService/RotateCa", "bob-token")));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("user bob (editor of shop) may not call mesh.v1.SecurityService/RotateCa: it needs the admin role; ask an admin for it", error.Status.Detail);
    }

    [Fact]
    public async Task MethodNotInTheTable_DeniedToEveryone()
    {
        var admin = new AccessInterceptor(ApiUsers.Open);

        var error = await Assert.ThrowsAsync<RpcException>(() => Call(admin, new TestCallContext("/mesh.v1.ConfigService/Purge")));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("user local (admin) may not call mesh.v1.ConfigService/Purge: it is not in the API's permission table", error.Status.Detail);
    }

    [Theory]
    [InlineData(null, "requires a bearer token")]
    [InlineData("guess", "not valid")]
    public async Task MissingOrUnknownToken_Unauthenticated(string? token, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Call(Guarded, new TestCallContext("/mesh.v1.ConfigService/Get", token)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
    }

    [Fact]
    public async Task OpenApi_EveryoneIsLocalAdmin()
    {
        Assert.Same(ApiUser.Local, await Call(new AccessInterceptor(ApiUsers.Open), new TestCallContext("/mesh.v1.ConfigService/Delete")));
    }

    [Fact]
    public async Task NotAManagementApiMethod_PassesUntouched()
    {
        var context = new TestCallContext("/envoy.service.cluster.v3.ClusterDiscoveryService/FetchClusters");

        var response = await Guarded.UnaryServerHandler<string, string>("request", context, (_, _) => Task.FromResult("served"));

        Assert.Equal("served", response);
    }

    private static Task<ApiUser> Call(AccessInterceptor interceptor, ServerCallContext context) =>
        interceptor.UnaryServerHandler<string, ApiUser>("request", context, (_, call) => Task.FromResult(call.Caller()));
}
