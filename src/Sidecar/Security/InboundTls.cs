using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Security;

/// <summary>mTLS and plain text on the same inbound port, as Envoy's inbound listener serves PERMISSIVE: a connection
/// whose first byte is a TLS handshake record is terminated with the workload certificate, and the peer must present
/// a certificate from the mesh's CA; anything else is plain text. The PeerAuthentication mode decides which of the two
/// a connection may be: STRICT refuses plain text, DISABLE refuses TLS (the connection is closed).</summary>
public static partial class InboundTls
{
    private const byte HandshakeRecord = 0x16;

    public static ListenOptions UseInboundTls(this ListenOptions listen, int appPort)
    {
        listen.Use(next =>
        {
            var identity = listen.ApplicationServices.GetRequiredService<WorkloadIdentity>();
            var store = listen.ApplicationServices.GetRequiredService<ConfigStore>();
            var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InboundTls));
            return connection => Handle(connection, next, identity, store, appPort, logger);
        });
        return listen;
    }

    private static async Task Handle(ConnectionContext connection, ConnectionDelegate next, WorkloadIdentity identity, ConfigStore store, int appPort, ILogger logger)
    {
        {
            var first = await FirstByte(connection);
            if (first < 0) return;
            var tls = first == HandshakeRecord;
            // A captured connection is judged by the port it was sent to (PeerAuthentication's portLevelMtls names the
            // application's ports), as its request is then forwarded there.
            var port = connection.Features.Get<CapturedConnection>()?.OriginalDestination.Port ?? appPort;
            var allowed = (store.Current.Inbound ?? InboundModel.NotYet).For(port);
            if (!allowed.HasFlag(tls ? InboundTransports.MutualTls : InboundTransports.Plaintext))
            {
                LogRefused(logger, connection.RemoteEndPoint?.ToString() ?? "?", tls ? "mutual TLS" : "plain text", allowed);
                connection.Abort(new ConnectionAbortedException("refused by PeerAuthentication"));
                return;
            }
            if (!tls)
            {
                await next(connection);
                return;
            }
            if (identity.Current is not { } certificate)
            {
                LogNoCertificate(logger, connection.RemoteEndPoint?.ToString() ?? "?");
                connection.Abort(new ConnectionAbortedException("no workload certificate yet"));
                return;
            }
            var ssl = new SslStream(new DuplexStream(connection.Transport), leaveInnerStreamOpen: false);
            var failed = await TlsSession.Handshake(connection, ssl, new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate.Context,
                ClientCertificateRequired = true,
                // The peer's identity is read once per connection (PeerCertificate): a TLS 1.2 renegotiation must not
                // swap the certificate under it.
                AllowRenegotiation = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, peer, chain, _) => peer is X509Certificate2 leaf && identity.VerifyPeer(leaf, chain) is not null,
            });
            if (failed is not null)
            {
                LogHandshakeFailed(logger, connection.RemoteEndPoint?.ToString() ?? "?", failed);
                connection.Abort(new ConnectionAbortedException("mTLS handshake failed"));
                return;
            }
            await TlsSession.Serve(connection, ssl, next);
        }
    }

    /// <summary>The connection's first byte, left unread; -1 when it closed first.</summary>
    private static async Task<int> FirstByte(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        try
        {
            var read = await input.ReadAsync(connection.ConnectionClosed);
            var buffer = read.Buffer;
            var first = buffer.IsEmpty ? -1 : buffer.FirstSpan[0];
            input.AdvanceTo(buffer.Start);
            return first;
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Refused a {Transport} connection from {Remote}: PeerAuthentication allows {Allowed}")]
    private static partial void LogRefused(ILogger logger, string remote, string transport, InboundTransports allowed);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Refused an mTLS connection from {Remote}: this sidecar has no workload certificate yet")]
    private static partial void LogNoCertificate(ILogger logger, string remote);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "mTLS handshake with {Remote} failed: {Error}")]
    private static partial void LogHandshakeFailed(ILogger logger, string remote, string error);
}
