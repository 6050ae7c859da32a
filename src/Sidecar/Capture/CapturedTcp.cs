using System.Net.Sockets;
using Mesh.Sidecar.Proxy;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Capture;

/// <summary>A captured connection that does not speak HTTP is passed through as bytes (Istio's ALLOW_ANY holds for
/// TCP too): outbound to where the application sent it, inbound to the application's port it was sent to. HTTP, and
/// any connection that came to the sidecar's port itself (an application using it as its HTTP proxy), go on to the
/// HTTP listener as before.</summary>
public static partial class CapturedTcp
{
    /// <param name="inbound">Inbound: deliver to 127.0.0.1 at the original port (the application), not the original
    /// address (which is this pod's own).</param>
    /// <param name="tcpPorts">Ports declared as a protocol other than HTTP (<see cref="Hosting.SidecarOptions.TcpPorts"/>):
    /// passed through at once, without waiting for the client to speak, which a server-first protocol (MySQL, SMTP)
    /// never does before the server's greeting. Other ports are sniffed (the wait is only for those).</param>
    public static ListenOptions UseCapturedTcp(this ListenOptions listen, bool inbound, IReadOnlySet<int>? tcpPorts = null)
    {
        listen.Use(next =>
        {
            var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CapturedTcp));
            return connection => Handle(connection, next, inbound, tcpPorts ?? new HashSet<int>(), logger);
        });
        return listen;
    }

    /// <param name="sniffWait">How long a silent client is waited for on a sniffed port (<see cref="ProtocolSniff.Timeout"/>
    /// unless given).</param>
    internal static async Task Handle(ConnectionContext connection, ConnectionDelegate next, bool inbound, IReadOnlySet<int> tcpPorts, ILogger logger, TimeSpan? sniffWait = null)
    {
        if (connection.Features.Get<CapturedConnection>() is not { } captured)
        {
            await next(connection);
            return;
        }
        var protocol = tcpPorts.Contains(captured.OriginalDestination.Port)
            ? ProtocolSniff.Protocol.Tcp
            : await ProtocolSniff.Detect(connection.Transport.Input, connection.ConnectionClosed, sniffWait);
        if (protocol is null) return;
        if (protocol == ProtocolSniff.Protocol.Http)
        {
            await next(connection);
            return;
        }
        var destination = captured.OriginalDestination;
        var host = inbound ? "127.0.0.1" : destination.Address.ToString();
        var pipe = new BytePipe();
        try
        {
            await pipe.Run(connection, host, destination.Port);
            LogPassedThrough(logger, inbound ? "inbound" : "outbound", host, destination.Port, pipe.Received, pipe.Sent);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException or ConnectionResetException)
        {
            LogFailed(logger, inbound ? "inbound" : "outbound", host, destination.Port, exception.Message);
            connection.Abort(new ConnectionAbortedException("passthrough failed"));
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Debug, Message = "Passed a non-HTTP {Direction} connection through to {Host}:{Port}: {Received} bytes in, {Sent} out")]
    private static partial void LogPassedThrough(ILogger logger, string direction, string host, int port, long received, long sent);

    [LoggerMessage(EventId = 531, Level = LogLevel.Information, Message = "Passthrough of a non-HTTP {Direction} connection to {Host}:{Port} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string direction, string host, int port, string error);
}
