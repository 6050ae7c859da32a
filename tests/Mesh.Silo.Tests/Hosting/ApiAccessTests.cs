using Mesh.Silo.Access;
using Mesh.Silo.Hosting;

namespace Mesh.Silo.Tests.Hosting;

public sealed class ApiAccessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mesh-token-").FullName;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void ResolveToken_LoopbackWithoutToken_Null(string address)
    {
        Assert.Null(ApiAccess.ResolveToken(new ApiOptions { Address = address }));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    public void ResolveToken_BeyondLoopbackWithoutToken_ThrowsNamingTokenFile(string address)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiAccess.ResolveToken(new ApiOptions { Address = address }));

        Assert.Contains("--token-file", error.Message);
        Assert.Contains(address, error.Message);
    }

    [Fact]
    public void ResolveToken_TokenGiven_ReturnedOnAnyAddress()
    {
        Assert.Equal("s3cret", ApiAccess.ResolveToken(new ApiOptions { Address = "0.0.0.0", Token = "s3cret" }));
    }

    [Fact]
    public void ResolveToken_TokenFile_ReadAndTrimmed()
    {
        var file = Path.Combine(_folder, "token");
        File.WriteAllText(file, "  s3cret\n");

        Assert.Equal("s3cret", ApiAccess.ResolveToken(new ApiOptions { Address = "0.0.0.0", TokenFile = file }));
    }

    [Fact]
    public void ResolveToken_MissingTokenFile_ThrowsNamingTheFile()
    {
        var file = Path.Combine(_folder, "absent");

        var error = Assert.Throws<InvalidOperationException>(() => ApiAccess.ResolveToken(new ApiOptions { TokenFile = file }));

        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void ResolveToken_BlankTokenFileBeyondLoopback_Throws()
    {
        var file = Path.Combine(_folder, "blank");
        File.WriteAllText(file, " \n");

        Assert.Throws<InvalidOperationException>(() => ApiAccess.ResolveToken(new ApiOptions { Address = "0.0.0.0", TokenFile = file }));
    }

    [Fact]
    public void ResolveUsers_NothingConfiguredOnLoopback_OpenToLocal()
    {
        var (users, warnings) = ApiAccess.ResolveUsers(new ApiOptions());

        Assert.True(users.IsOpen);
        Assert.Empty(warnings);
    }

    [Fact]
    public void ResolveUsers_SingleToken_IsUserAdmin()
    {
        var (users, _) = ApiAccess.ResolveUsers(new ApiOptions { Token = "s3cret" });

        Assert.False(users.IsOpen);
        Assert.Equal(ApiUser.TokenAdmin, users.Authenticate("s3cret"));
    }

    [Fact]
    public void ResolveUsers_UsersFileBeyondLoopback_NoSingleTokenNeeded()
    {
        var file = UsersFile("users:\n  - {name: carol, role: viewer, token: carol-token}\n");

        var (users, warnings) = ApiAccess.ResolveUsers(new ApiOptions { Address = "0.0.0.0", UsersFile = file });

        Assert.Equal("carol", users.Authenticate("carol-token")?.Name);
        Assert.Single(warnings);
    }

    [Fact]
    public void ResolveUsers_UsersFileAndSingleToken_BothAuthenticate()
    {
        var file = UsersFile("users:\n  - {name: carol, role: viewer, token: carol-token}\n");

        var (users, _) = ApiAccess.ResolveUsers(new ApiOptions { UsersFile = file, Token = "s3cret" });

        Assert.Equal(2, users.Count);
        Assert.Equal(ApiUser.TokenAdmin, users.Authenticate("s3cret"));
        Assert.Equal("carol", users.Authenticate("carol-token")?.Name);
    }

    [Theory]
    [InlineData("users:\n  - {name: Admin, role: viewer, token: other}\n")]
    [InlineData("users:\n  - {name: carol, role: viewer, token: s3cret}\n")]
    public void ResolveUsers_FileUserClashesWithSingleToken_Refused(string yaml)
    {
        var file = UsersFile(yaml);

        var error = Assert.Throws<InvalidOperationException>(() => ApiAccess.ResolveUsers(new ApiOptions { UsersFile = file, Token = "s3cret" }));

        Assert.Contains($"{file}:2: users[0]", error.Message);
        Assert.Contains("clashes with the single API token", error.Message);
    }

    [Fact]
    public void ResolveUsers_InvalidUsersFile_Refused()
    {
        var file = UsersFile("users:\n  - {name: carol, role: owner, token: t}\n");

        var error = Assert.Throws<InvalidOperationException>(() => ApiAccess.ResolveUsers(new ApiOptions { UsersFile = file }));

        Assert.Contains($"{file}:2: users[0] (carol): role:", error.Message);
    }

    private string UsersFile(string yaml)
    {
        var file = Path.Combine(_folder, $"users-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
