using Mesh.Silo.Access;

namespace Mesh.Silo.Tests.Access;

public sealed class ApiUsersTests
{
    private static readonly ApiUser Bob = new("bob", ApiRole.Editor, ["shop"]);
    private static readonly ApiUser Carol = new("carol", ApiRole.Viewer, []);

    [Fact]
    public void Authenticate_KnownToken_ThatUser()
    {
        var users = new ApiUsers([(ApiUsers.Hash("bob-token"), Bob), (ApiUsers.Hash("carol-token"), Carol)]);

        Assert.Same(Bob, users.Authenticate("bob-token"));
        Assert.Same(Carol, users.Authenticate("carol-token"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bob-toke")]
    [InlineData("bob-token ")]
    [InlineData("BOB-TOKEN")]
    public void Authenticate_UnknownToken_Null(string token)
    {
        var users = new ApiUsers([(ApiUsers.Hash("bob-token"), Bob)]);

        Assert.Null(users.Authenticate(token));
    }

    [Fact]
    public void Open_NoUsers()
    {
        Assert.True(ApiUsers.Open.IsOpen);
        Assert.Null(ApiUsers.Open.Authenticate("anything"));
    }

    [Theory]
    [InlineData(ApiRole.Admin, new string[0], "admin")]
    [InlineData(ApiRole.Viewer, new string[0], "viewer")]
    [InlineData(ApiRole.Editor, new[] { "bookinfo" }, "editor of bookinfo")]
    [InlineData(ApiRole.Editor, new[] { "bookinfo", "shop" }, "editor of bookinfo, shop")]
    [InlineData(ApiRole.Editor, new[] { "*" }, "editor of every namespace")]
    public void RoleDescription_SaysWhatTheUserMayWrite(ApiRole role, string[] namespaces, string expected)
    {
        Assert.Equal(expected, new ApiUser("u", role, namespaces).RoleDescription);
    }
}
