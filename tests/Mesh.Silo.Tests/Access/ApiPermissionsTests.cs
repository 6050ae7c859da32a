using Mesh.Api.V1;
using Mesh.Silo.Access;

namespace Mesh.Silo.Tests.Access;

public sealed class ApiPermissionsTests
{
    public static TheoryData<string> ServedMethods() =>
    [
        .. ConfigService.Descriptor.Methods.Concat(AuditService.Descriptor.Methods).Concat(SecretService.Descriptor.Methods).Select(m => $"/{m.Service.FullName}/{m.Name}"),
    ];

    [Theory]
    [MemberData(nameof(ServedMethods))]
    public void EveryServedMethod_HasAnEntry(string method)
    {
        Assert.NotNull(ApiPermissions.For(method));
    }

    [Theory]
    [InlineData("/mesh.v1.ConfigService/Get", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/List", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/History", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/Watch", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/GetServiceEndpoints", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/ProxyStatus", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/ProxyConfig", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/Version", ApiPermission.Read)]
    [InlineData("/mesh.v1.ConfigService/Apply", ApiPermission.Write)]
    [InlineData("/mesh.v1.ConfigService/Delete", ApiPermission.Write)]
    [InlineData("/mesh.v1.AuditService/List", ApiPermission.Read)]
    [InlineData("/mesh.v1.SecurityService/CreateToken", ApiPermission.Admin)]
    [InlineData("/mesh.v1.SecurityService/RotateCa", ApiPermission.Admin)]
    [InlineData("/mesh.v1.SecurityService/GetCa", ApiPermission.Read)]
    [InlineData("/mesh.v1.SecurityService/ListCertificates", ApiPermission.Read)]
    [InlineData("/mesh.v1.SecretService/Create", ApiPermission.Write)]
    [InlineData("/mesh.v1.SecretService/Delete", ApiPermission.Write)]
    [InlineData("/mesh.v1.SecretService/Get", ApiPermission.Read)]
    [InlineData("/mesh.v1.SecretService/List", ApiPermission.Read)]
    public void Table_GivesEachMethodItsPermission(string method, ApiPermission expected)
    {
        Assert.Equal(expected, ApiPermissions.For(method));
    }

    [Theory]
    [InlineData("/mesh.v1.ConfigService/Purge")]
    [InlineData("/mesh.v1.configservice/apply")]
    [InlineData("mesh.v1.ConfigService/Apply")]
    public void UnknownMethod_HasNoEntry(string method)
    {
        Assert.Null(ApiPermissions.For(method));
    }

    [Theory]
    [InlineData(ApiRole.Viewer, ApiPermission.Read, true)]
    [InlineData(ApiRole.Viewer, ApiPermission.Admin, false)]
    [InlineData(ApiRole.Editor, ApiPermission.Read, true)]
    [InlineData(ApiRole.Editor, ApiPermission.Admin, false)]
    [InlineData(ApiRole.Admin, ApiPermission.Read, true)]
    [InlineData(ApiRole.Admin, ApiPermission.Write, true)]
    [InlineData(ApiRole.Admin, ApiPermission.Admin, true)]
    public void Reaches_ByRole(ApiRole role, ApiPermission permission, bool expected)
    {
        Assert.Equal(expected, new ApiUser("u", role, role == ApiRole.Editor ? ["shop"] : []).Reaches(permission));
    }
}
