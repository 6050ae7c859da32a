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

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
