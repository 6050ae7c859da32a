using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Mesh.Sidecar.Security;

/// <summary>A TLS session a connection middleware terminates itself (inbound mTLS, a gateway's filter chains) in front
/// of Kestrel's HTTP: the handshake, bounded in time, then the rest of the connection served over it, with the peer's
/// certificate and the ALPN result where Kestrel and the request look for them.</summary>
internal static class TlsSession
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the server handshake on <paramref name="ssl"/>; null when it succeeded, else why it failed (the
    /// stream is disposed then).</summary>
    public static async Task<string?> Handshake(ConnectionContext connection, SslStream ssl, SslServerAuthenticationOptions options)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            timeout.CancelAfter(HandshakeTimeout);
            await ssl.AuthenticateAsServerAsync(options, timeout.Token);
            return null;
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync();
            return exception.Message;
        }
    }

    /// <summary>Serves the rest of the connection over <paramref name="ssl"/> (after a successful handshake).</summary>
    public static async Task Serve(ConnectionContext connection, SslStream ssl, ConnectionDelegate next)
    {
        var transport = connection.Transport;
        var feature = new Feature(ssl);
        connection.Features.Set<ITlsConnectionFeature>(feature);
        connection.Features.Set<ITlsApplicationProtocolFeature>(feature);
        connection.Features.Set<ITlsHandshakeFeature>(feature);
        if (feature.ClientCertificate is { } peer) connection.Features.Set(new PeerCertificate(peer));
        connection.Transport = new DuplexPipe(PipeReader.Create(ssl), PipeWriter.Create(ssl));
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
            await ssl.DisposeAsync();
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }

    /// <summary>The terminated TLS session as Kestrel and the request see it: the peer's certificate and the ALPN result.</summary>
    private sealed class Feature(SslStream ssl) : ITlsConnectionFeature, ITlsApplicationProtocolFeature, ITlsHandshakeFeature
    {
        public X509Certificate2? ClientCertificate { get => ssl.RemoteCertificate as X509Certificate2; set { } }
        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
        public ReadOnlyMemory<byte> ApplicationProtocol => ssl.NegotiatedApplicationProtocol.Protocol;
        public SslProtocols Protocol => ssl.SslProtocol;
        public TlsCipherSuite? NegotiatedCipherSuite => ssl.NegotiatedCipherSuite;
        public string HostName => ssl.TargetHostName;
#pragma warning disable SYSLIB0058 // obsolete algorithm details are part of the feature's interface
        public CipherAlgorithmType CipherAlgorithm => ssl.CipherAlgorithm;
        public int CipherStrength => ssl.CipherStrength;
        public HashAlgorithmType HashAlgorithm => ssl.HashAlgorithm;
        public int HashStrength => ssl.HashStrength;
        public ExchangeAlgorithmType KeyExchangeAlgorithm => ssl.KeyExchangeAlgorithm;
        public int KeyExchangeStrength => ssl.KeyExchangeStrength;
#pragma warning restore SYSLIB0058
    }
}
