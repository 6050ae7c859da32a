using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Config.Gateway;
using Mesh.Sidecar.Proxy.Gateway;
using Mesh.Xds.Resources;
using static Mesh.Sidecar.Tests.Config.Gateway.GatewayResources;

namespace Mesh.Sidecar.Tests.Proxy.Gateway;

/// <summary>Real TLS handshakes (SslStream client and server over loopback TCP) with the options a gateway chain's
/// handshake takes from the current model.</summary>
public sealed class GatewayTlsTests : IDisposable
{
    private const string Cert = "kubernetes://ns/api";
    private const string CaCert = "kubernetes://ns/api-cacert";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly X509Certificate2 _root = Certificate("clients-root", ca: true);
    private readonly X509Certificate2 _server = Certificate("api.example.com");

    public void Dispose()
    {
        _root.Dispose();
        _server.Dispose();
    }

    private static DownstreamTls Simple { get; } = new(Cert, null, false, SslProtocols.Tls12 | SslProtocols.Tls13, null, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);

    private ProxyModel Model(params Envoy.Extensions.TransportSockets.Tls.V3.Secret[] secrets)
    {
        var (model, errors) = Compile(secrets);
        Assert.Empty(errors);
        return model!;
    }

    /// <summary>A handshake of a client for api.example.com (with <paramref name="clientCertificate"/>, if any): the
    /// certificate the server presented and the ALPN result, or null when it failed.</summary>
    private static async Task<(string Thumbprint, string Alpn, SslProtocols Protocol)?> Handshake(SslServerAuthenticationOptions server,
        X509Certificate2? clientCertificate = null, SslProtocols client = SslProtocols.None)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var serverSsl = new SslStream(accepted.GetStream());
        await using var clientSsl = new SslStream(tcp.GetStream());
        var serverSide = serverSsl.AuthenticateAsServerAsync(server).WaitAsync(Patience);
        var clientSide = clientSsl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "api.example.com",
            EnabledSslProtocols = client,
            // Each case a full handshake: a resumed session carries the client certificate (or none) of the session
            // it resumes, not the one this case presents.
            AllowTlsResume = false,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            // Sent whatever issuers the server names, so that an untrusted one reaches the server's check.
            LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }).WaitAsync(Patience);
        try
        {
            await Task.WhenAll(serverSide, clientSide);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            return null;
        }
        return (clientSsl.RemoteCertificate!.GetCertHashString(), clientSsl.NegotiatedApplicationProtocol.ToString(), clientSsl.SslProtocol);
    }

    [Fact]
    public async Task The_chain_presents_its_secrets_certificate_and_negotiates_h2()
    {
        var options = GatewayListenerMiddleware.Options(Model(CertificateSecret(Cert, _server)), Simple);

        var result = await Handshake(options!);

        Assert.Equal((_server.Thumbprint, "h2"), (result?.Thumbprint, result?.Alpn));
    }

    [Fact]
    public async Task A_replaced_certificate_is_presented_by_the_next_handshake()
    {
        using var renewed = Certificate("api.example.com");
        var resources = ResourceSet.Empty.With(TypeUrls.Secret, [new ReceivedResource(Cert, "1", CertificateSecret(Cert, _server))], [], "1");
        var (before, _) = ModelCompiler.Compile(resources);
        var (after, _) = ModelCompiler.Compile(before!, resources.With(TypeUrls.Secret, [new ReceivedResource(Cert, "2", CertificateSecret(Cert, renewed))], [], "2"), TypeUrls.Secret, [Cert]);

        Assert.Equal(_server.Thumbprint, (await Handshake(GatewayListenerMiddleware.Options(before!, Simple)!))?.Thumbprint);
        Assert.Equal(renewed.Thumbprint, (await Handshake(GatewayListenerMiddleware.Options(after!, Simple)!))?.Thumbprint);
    }

    [Fact]
    public void Without_its_secrets_a_chain_has_no_handshake_to_offer()
    {
        var mutual = Simple with { TrustSecret = CaCert, RequireClientCertificate = true };

        Assert.Null(GatewayListenerMiddleware.Options(ProxyModel.Empty, Simple));
        Assert.Null(GatewayListenerMiddleware.Options(Model(CertificateSecret(Cert, _server)), mutual));
    }

    [Theory]
    [InlineData(true, "none", false)]
    [InlineData(true, "trusted", true)]
    [InlineData(true, "untrusted", false)]
    [InlineData(false, "none", true)]
    [InlineData(false, "trusted", true)]
    [InlineData(false, "untrusted", false)]
    public async Task Client_certificates_are_verified_against_the_cacert_secret(bool required, string client, bool succeeds)
    {
        using var trusted = Certificate("client.example.com", _root);
        using var untrusted = Certificate("client.example.com");
        var tls = Simple with { TrustSecret = CaCert, RequireClientCertificate = required };
        var options = GatewayListenerMiddleware.Options(Model(CertificateSecret(Cert, _server), CaSecret(CaCert, _root)), tls);

        var result = await Handshake(options!, client switch { "trusted" => trusted, "untrusted" => untrusted, _ => null });

        Assert.Equal(succeeds, result is not null);
    }

    [Fact]
    public async Task The_minimum_protocol_version_is_enforced()
    {
        var options = GatewayListenerMiddleware.Options(Model(CertificateSecret(Cert, _server)), Simple with { Protocols = SslProtocols.Tls13 });

        Assert.Null(await Handshake(options!, client: SslProtocols.Tls12));
        Assert.Equal(SslProtocols.Tls13, (await Handshake(options!, client: SslProtocols.Tls13))?.Protocol);
    }
}
