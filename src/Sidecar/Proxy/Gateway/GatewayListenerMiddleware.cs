using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Config.Gateway;
using Mesh.Sidecar.Security;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Proxy.Gateway;

/// <summary>A gateway's listen port, per connection, as Envoy's listener does it: the ClientHello is read without
/// being consumed (when the listener has tls_inspector), the filter chain is chosen by its server name, and then the
/// chain carries the connection: its bytes to a cluster (passthrough), or TLS terminated with the chain's certificate
/// as the current model holds it, or plain text, and then HTTP routed by the chain's route table.</summary>
public static partial class GatewayListenerMiddleware
{
    private static readonly TimeSpan InspectTimeout = TimeSpan.FromSeconds(10);

    public static ListenOptions UseGatewayListener(this ListenOptions listen, string listenerName)
    {
        listen.Use(next =>
        {
            var services = listen.ApplicationServices;
            var store = services.GetRequiredService<ConfigStore>();
            var passthrough = services.GetRequiredService<TcpPassthrough>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayListenerMiddleware));
            return connection => Handle(connection, next, listenerName, store, passthrough, logger);
        });
        return listen;
    }

    private static async Task Handle(ConnectionContext connection, ConnectionDelegate next, string name, ConfigStore store, TcpPassthrough passthrough, ILogger logger)
    {
        var remote = connection.RemoteEndPoint?.ToString() ?? "?";
        if (!store.Current.Gateways.TryGetValue(name, out var listener))
        {
            LogNoListener(logger, remote, name);
            connection.Abort(new ConnectionAbortedException("no config for this listener yet"));
            return;
        }
        var hello = listener.InspectsTls ? await Inspect(connection) : ClientHello.NotTls;
        if (hello.Status == ClientHello.Kind.NeedMore)
        {
            connection.Abort(new ConnectionAbortedException("no ClientHello in time"));
            return;
        }
        var tls = hello.Status == ClientHello.Kind.Tls;
        if (listener.Select(hello.ServerName, tls) is not { } chain)
        {
            LogNoChain(logger, remote, name, hello.ServerName ?? "(none)", tls ? "tls" : "raw_buffer");
            connection.Abort(new ConnectionAbortedException("no matching filter chain"));
            return;
        }
        if (chain.Tcp is { } tcp)
        {
            await passthrough.Run(connection, listener, tcp, hello.ServerName);
            return;
        }
        if (chain.Tls is not { } downstream)
        {
            connection.Features.Set(new GatewayConnection(name, chain, Tls: false, hello.ServerName));
            await next(connection);
            return;
        }
        // The secrets as they are now: a replaced certificate serves the next handshake, this one keeps its own.
        var model = store.Current;
        if (Options(model, downstream) is not { } options)
        {
            LogNoSecret(logger, remote, name, chain.Name, downstream.CertificateSecret, downstream.TrustSecret ?? "-");
            connection.Abort(new ConnectionAbortedException("the chain's secret has not arrived"));
            return;
        }
        var ssl = new SslStream(new DuplexStream(connection.Transport), leaveInnerStreamOpen: false);
        if (await TlsSession.Handshake(connection, ssl, options) is { } failed)
        {
            LogHandshakeFailed(logger, remote, name, hello.ServerName ?? "(none)", failed);
            connection.Abort(new ConnectionAbortedException("TLS handshake failed"));
            return;
        }
        connection.Features.Set(new GatewayConnection(name, chain, Tls: true, hello.ServerName));
        await TlsSession.Serve(connection, ssl, next);
    }

    /// <summary>The handshake's options from the chain and the secrets it names, or null while one is missing.</summary>
    public static SslServerAuthenticationOptions? Options(ProxyModel model, DownstreamTls tls)
    {
        if (model.Secrets.GetValueOrDefault(tls.CertificateSecret)?.Certificate is not { } certificate) return null;
        X509Certificate2Collection? roots = null;
        if (tls.TrustSecret is { } trust && (roots = model.Secrets.GetValueOrDefault(trust)?.TrustedCa) is null) return null;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            // Asked for whenever there are roots to verify it with; refused if absent only when required.
            ClientCertificateRequired = roots is not null,
            AllowRenegotiation = false,
            EnabledSslProtocols = tls.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = [.. tls.ApplicationProtocols],
            RemoteCertificateValidationCallback = (_, peer, chain, _) => peer is X509Certificate2 leaf
                ? roots is not null && CustomRootChain.Builds(leaf, roots, chain?.ChainElements.Select(e => e.Certificate))
                : !tls.RequireClientCertificate,
        };
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) options.CipherSuitesPolicy = tls.CipherPolicy;
        return options;
    }

    /// <summary>Reads until the first bytes tell a ClientHello (and its server name) from anything else, consuming
    /// nothing: the chain then reads the connection from its first byte.</summary>
    private static async Task<ClientHello> Inspect(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(InspectTimeout);
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var hello = ClientHello.Parse(read.Buffer);
                if (hello.Status != ClientHello.Kind.NeedMore || read.IsCompleted || read.IsCanceled)
                {
                    input.AdvanceTo(read.Buffer.Start);
                    // A connection that ended before telling is plain text: its chain gets what there is.
                    return hello.Status == ClientHello.Kind.NeedMore && read.IsCompleted ? ClientHello.NotTls : hello;
                }
                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return ClientHello.NeedMore;
        }
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Closed a connection from {Remote}: no config for listener {Listener} yet")]
    private static partial void LogNoListener(ILogger logger, string remote, string listener);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Closed a connection from {Remote}: no filter chain of {Listener} matches server name {ServerName} over {Transport}")]
    private static partial void LogNoChain(ILogger logger, string remote, string listener, string serverName, string transport);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Refused a TLS connection from {Remote} on {Listener} chain {Chain}: secret {Certificate} (client roots {Roots}) has not arrived")]
    private static partial void LogNoSecret(ILogger logger, string remote, string listener, string chain, string certificate, string roots);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "TLS handshake with {Remote} on {Listener} (server name {ServerName}) failed: {Error}")]
    private static partial void LogHandshakeFailed(ILogger logger, string remote, string listener, string serverName, string error);
}
