using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Embedded;

/// <summary>The API is open on loopback only; anywhere else, or whenever a token is set, it requires the token.</summary>
public sealed class ApiAccessTests : IDisposable
{
    private readonly WorkDir _dir = new("access");

    [Fact]
    public void BeyondLoopbackWithoutToken_RefusesToStart()
    {
        using var silo = new SiloProcess(_dir.Path, "open", ["--data", Path.Combine(_dir.Path, "data"), "--api-address", "0.0.0.0"]).Start();

        Assert.True(silo.Process.WaitForExit(TimeSpan.FromSeconds(30)), "the silo kept running without a token");
        Assert.Equal(1, silo.Process.ExitCode);
        Assert.Contains("no token is configured", silo.Process.Log());
    }

    [Fact]
    public async Task WithToken_CallsWithoutItAreRefused()
    {
        var tokenFile = Path.Combine(_dir.Path, "token");
        await File.WriteAllTextAsync(tokenFile, "s3cret-token\n");
        using var silo = new SiloProcess(_dir.Path, "guarded", ["--data", Path.Combine(_dir.Path, "data"), "--token-file", tokenFile]).Start();
        await silo.WaitReady();

        var anonymous = await Meshctl.Run(silo.ApiUrl, "get", "vs", "-A");
        var wrong = await Meshctl.Run(silo.ApiUrl, "get", "vs", "-A", "--token", "guess");
        var right = await Meshctl.Run(silo.ApiUrl, "get", "vs", "-A", "--token", "s3cret-token");

        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("requires a bearer token", anonymous.Stderr);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("not valid", wrong.Stderr);
        Assert.True(right.ExitCode == 0, right.ToString());
    }

    public void Dispose() => _dir.Dispose();
}
