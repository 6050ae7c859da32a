using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Mesh.Sidecar.Proxy;

/// <summary>Envoy's tcp_proxy at its simplest: a connection's bytes, as they are (anything only peeked at still
/// unread), to one upstream address and back, each side's end passed on as a half close. Counts what went each way,
/// also when it fails midway.</summary>
public sealed class BytePipe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Bytes from the client to the upstream.</summary>
    public long Received { get; private set; }

    /// <summary>Bytes from the upstream to the client.</summary>
    public long Sent { get; private set; }

    /// <summary>Runs until the upstream closes; throws <see cref="SocketException"/>, <see cref="IOException"/>,
    /// <see cref="OperationCanceledException"/> or <see cref="ConnectionResetException"/> when a side fails.</summary>
    public async Task Run(ConnectionContext connection, string host, int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            connect.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(host, port, connect.Token);
        }
        await using var upstream = new NetworkStream(socket, ownsSocket: false);
        var input = connection.Transport.Input;
        var down = Task.Run(() => Pump(input, upstream, socket));
        var up = Task.Run(() => Pump(upstream, connection.Transport.Output));
        await up;
        // The upstream closed: nothing the client still sends has anywhere to go.
        input.CancelPendingRead();
        await down;
    }

    /// <summary>Client to upstream, until the client ends its side (which is passed on as a half close).</summary>
    private async Task Pump(PipeReader from, Stream to, Socket socket)
    {
        try
        {
            while (true)
            {
                var read = await from.ReadAsync();
                foreach (var segment in read.Buffer) await to.WriteAsync(segment);
                Received += read.Buffer.Length;
                from.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
            socket.Shutdown(SocketShutdown.Send);
        }
        finally
        {
            await from.CompleteAsync();
        }
    }

    /// <summary>Upstream to client, until the upstream closes.</summary>
    private async Task Pump(Stream from, PipeWriter to)
    {
        try
        {
            while (true)
            {
                var count = await from.ReadAsync(to.GetMemory(16 * 1024));
                if (count == 0) break;
                to.Advance(count);
                Sent += count;
                if ((await to.FlushAsync()).IsCompleted) break;
            }
        }
        finally
        {
            await to.CompleteAsync();
        }
    }
}
