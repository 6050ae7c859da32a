using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Hardening;

/// <summary>Issue 10, finding 4: no request body is read before its caller is authenticated, and an admitted
/// caller's body is bounded by what its method needs (apply: the 8 MiB manifest limit; everything else: 64 KiB).</summary>
public sealed class ApiBodyTests : IDisposable
{
    private const string Token = "body-test-token";
    private const int Large = 25 * 1024 * 1024;

    private readonly WorkDir _dir = new("api-body");

    [Fact]
    public async Task UnauthenticatedLargeBodies_401Fast_SiloMemoryDoesNotGrowWithThem()
    {
        using var silo = await Start();
        var before = Rss(silo);

        for (var i = 0; i < 4; i++)
        {
            var clock = Stopwatch.StartNew();
            var response = await StreamedPost(silo.HttpPort, "/apis/mesh.v1/apply", authorization: null, Large);
            Assert.StartsWith("HTTP/1.1 401 ", response);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the 401 took {clock.Elapsed}");
        }

        // Four 25 MB bodies: reading them (as before) raised RSS by hundreds of MB.
        var grown = Rss(silo) - before;
        Assert.True(grown < 40 * 1024 * 1024, $"RSS grew by {grown / 1024 / 1024} MB");
    }

    [Fact]
    public async Task UnauthenticatedLargeGrpcMessage_Unauthenticated()
    {
        using var silo = await Start();
        using var channel = GrpcChannel.ForAddress(silo.ApiUrl);

        var error = await Assert.ThrowsAsync<RpcException>(() => new ConfigService.ConfigServiceClient(channel)
            .ApplyAsync(new ApplyRequest { Manifest = new string('a', Large) }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("requires a bearer token", error.Status.Detail);
    }

    [Fact]
    public async Task AdmittedButOversized_413OnJson_ResourceExhaustedOnGrpc_NamingTheLimit()
    {
        using var silo = await Start();

        var json = await StreamedPost(silo.HttpPort, "/apis/mesh.v1/apply", $"Bearer {Token}", 17 * 1024 * 1024);
        Assert.StartsWith("HTTP/1.1 413 ", json);
        Assert.Contains("larger than the limit of 16842752 bytes for mesh.v1.ConfigService/Apply", json);

        var small = await StreamedPost(silo.HttpPort, "/apis/mesh.v1/tokens", $"Bearer {Token}", 100 * 1024);
        Assert.StartsWith("HTTP/1.1 413 ", small);
        Assert.Contains("larger than the limit of 65536 bytes for mesh.v1.SecurityService/CreateToken", small);

        using var channel = GrpcChannel.ForAddress(silo.ApiUrl);
        var error = await Assert.ThrowsAsync<RpcException>(() => new ConfigService.ConfigServiceClient(channel)
            .ApplyAsync(new ApplyRequest { Manifest = new string('a', 9 * 1024 * 1024) }, new Metadata { { "authorization", $"Bearer {Token}" } }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("a manifest may be at most 8388608 bytes", error.Status.Detail);
        Assert.True(await silo.IsHealthy());
    }

    private async Task<SiloProcess> Start()
    {
        var tokenFile = Path.Combine(_dir.Path, "token");
        await File.WriteAllTextAsync(tokenFile, Token);
        var silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--token-file", tokenFile]).Start();
        await silo.WaitReady();
        return silo;
    }

    /// <summary>POSTs a body of <paramref name="size"/> bytes in 64 KiB writes on a raw connection, and returns the
    /// response, which may come before the body is all sent (HttpClient fails the call when the server closes then).</summary>
    private static async Task<string> StreamedPost(int port, string path, string? authorization, int size)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n" +
            (authorization is null ? "" : $"Authorization: {authorization}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var send = Task.Run(async () =>
        {
            var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            try
            {
                for (var sent = 0; sent < size; sent += chunk.Length) await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - sent)));
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                // The server answered and closed the connection without reading the rest: what it should do.
            }
        });
        var response = new MemoryStream();
        try
        {
            await stream.CopyToAsync(response).Within(TimeSpan.FromSeconds(30), "the response");
        }
        catch (IOException)
        {
            // Reset after the response: the server refused to read the rest of the body.
        }
        client.Close();
        await send.Within(TimeSpan.FromSeconds(30), "sending the body");
        return Encoding.UTF8.GetString(response.ToArray());
    }

    private static long Rss(SiloProcess silo)
    {
        var line = File.ReadLines($"/proc/{silo.Process.Id}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    public void Dispose() => _dir.Dispose();
}
