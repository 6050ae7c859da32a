using Grpc.Core;
using Mesh.Silo.Access;

namespace Mesh.Silo.Tests.Access;

public sealed class ApiAdmissionTests
{
    private static readonly ApiUser Bob = new("bob", ApiRole.Editor, ["shop"]);
    private static readonly ApiUser Carol = new("carol", ApiRole.Viewer, []);
    private static readonly ApiAdmission Guarded = new(new ApiUsers([(ApiUsers.Hash("bob-token"), Bob), (ApiUsers.Hash("carol-token"), Carol)]));

    [Fact]
    public void KnownToken_ReadMethod_Admitted()
    {
        Assert.Same(Carol, Guarded.Admit("/mesh.v1.ConfigService/Get", "Bearer carol-token"));
    }

    [Fact]
    public void Viewer_WriteMethod_AdmittedForTheHandlerToCheckNamespaces()
    {
        Assert.Same(Carol, Guarded.Admit("/mesh.v1.ConfigService/Apply", "bearer carol-token"));
    }

    [Fact]
    public void Editor_AdminMethod_DeniedNamingUserRoleAndMethod()
    {
        var error = Assert.Throws<RpcException>(() => Guarded.Admit("/mesh.v1.SecurityService/RotateCa", "Bearer bob-token"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("user bob (editor of shop) may not call mesh.v1.SecurityService/RotateCa: it needs the admin role; ask an admin for it", error.Status.Detail);
    }

    [Fact]
    public void MethodNotInTheTable_DeniedToEveryone()
    {
        var error = Assert.Throws<RpcException>(() => new ApiAdmission(ApiUsers.Open).Admit("/mesh.v1.ConfigService/Purge", null));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("user local (admin) may not call mesh.v1.ConfigService/Purge: it is not in the API's permission table", error.Status.Detail);
    }

    [Theory]
    [InlineData(null, "requires a bearer token")]
    [InlineData("Basic Ym9iOmJvYg==", "requires a bearer token")]
    [InlineData("Bearer guess", "not valid")]
    public void MissingOrUnknownToken_Unauthenticated(string? authorization, string message)
    {
        var error = Assert.Throws<RpcException>(() => Guarded.Admit("/mesh.v1.ConfigService/Get", authorization));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
    }

    [Fact]
    public void OpenApi_EveryoneIsLocalAdmin()
    {
        Assert.Same(ApiUser.Local, new ApiAdmission(ApiUsers.Open).Admit("/mesh.v1.ConfigService/Delete", null));
    }

    [Theory]
    [InlineData("/mesh.v1.ConfigService/Apply", true)]
    [InlineData("/mesh.v1.AuditService/List", true)]
    [InlineData("/mesh.v1.CertificateService/CreateCertificate", false)]
    [InlineData("/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources", false)]
    public void Guards_ManagementApiOnly(string method, bool guarded)
    {
        Assert.Equal(guarded, ApiAdmission.Guards(method));
    }
}
