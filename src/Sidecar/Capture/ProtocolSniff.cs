using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mesh.Sidecar.Capture;

/// <summary>What a captured connection speaks, told from its first bytes as Envoy's http_inspector does: an HTTP/1
/// method and a space, or the HTTP/2 preface, is HTTP; anything else is plain TCP. A client that sends nothing for
/// <see cref="Timeout"/> speaks a server-first protocol (SMTP, MySQL): TCP.</summary>
public static class ProtocolSniff
{
    public enum Protocol
    {
        Http,
        Tcp,
        /// <summary>The bytes so far could still begin either.</summary>
        Undecided,
    }

    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    private static readonly byte[][] Starts = [.. new[]
    {
        "GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ", "PRI * HTTP/2.0",
    }.Select(Encoding.ASCII.GetBytes)];

    /// <summary>HTTP when the bytes begin one of the starts, TCP when they can begin none, else undecided.</summary>
    public static Protocol Classify(ReadOnlySequence<byte> bytes)
    {
        Span<byte> head = stackalloc byte[16];
        var length = (int)Math.Min(bytes.Length, head.Length);
        bytes.Slice(0, length).CopyTo(head);
        var seen = head[..length];
        var undecided = false;
        foreach (var start in Starts)
        {
            if (seen.Length >= start.Length && seen.StartsWith(start)) return Protocol.Http;
            if (seen.Length < start.Length && start.AsSpan().StartsWith(seen)) undecided = true;
        }
        return undecided ? Protocol.Undecided : Protocol.Tcp;
    }

    /// <summary>Reads until the first bytes decide (leaving them all unread); TCP when the client stays silent for
    /// <paramref name="wait"/> (<see cref="Timeout"/> unless given), null when the connection closed first.</summary>
    public static async Task<Protocol?> Detect(PipeReader input, CancellationToken closed, TimeSpan? wait = null)
    {
        // CancelPendingRead rather than a cancelled token: the reader stays usable, with what it holds still unread.
        using var silence = new CancellationTokenSource(wait ?? Timeout);
        var fired = new StrongBox<bool>();
        var timedOut = false;
        Protocol? detected;
        try
        {
            using (silence.Token.Register(() =>
            {
                fired.Value = true;
                input.CancelPendingRead();
            }))
            {
                while (true)
                {
                    var read = await input.ReadAsync(closed);
                    timedOut = read.IsCanceled;
                    var protocol = Classify(read.Buffer);
                    if (protocol == Protocol.Undecided && !read.IsCompleted && !read.IsCanceled)
                    {
                        input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                        continue;
                    }
                    input.AdvanceTo(read.Buffer.Start);
                    detected = read.Buffer.IsEmpty && read.IsCompleted ? null : protocol == Protocol.Http ? Protocol.Http : Protocol.Tcp;
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        // The timer fired after the last read returned: take its cancellation now, so the next reader does not.
        // (Disposing the registration waited for a running callback, so fired means the read was cancelled.)
        if (fired.Value && !timedOut) input.AdvanceTo((await input.ReadAsync(closed)).Buffer.Start);
        return detected;
    }
}
