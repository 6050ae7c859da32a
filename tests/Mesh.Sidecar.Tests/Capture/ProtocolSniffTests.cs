using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Mesh.Sidecar.Capture;
using Protocol = Mesh.Sidecar.Capture.ProtocolSniff.Protocol;

namespace Mesh.Sidecar.Tests.Capture;

public sealed class ProtocolSniffTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", Protocol.Http)]
    [InlineData("POST /x HTTP/1.1\r\n", Protocol.Http)]
    [InlineData("OPTIONS * HTTP/1.1\r\n", Protocol.Http)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Protocol.Http)]
    [InlineData("G", Protocol.Undecided)]
    [InlineData("DELE", Protocol.Undecided)]
    [InlineData("PRI * HTTP", Protocol.Undecided)]
    [InlineData("get / HTTP/1.1\r\n", Protocol.Tcp)]
    [InlineData("GETX / HTTP/1.1", Protocol.Tcp)]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n", Protocol.Tcp)]
    [InlineData("\u0016\u0003\u0001", Protocol.Tcp)]
    [InlineData("", Protocol.Undecided)]
    public void First_bytes_tell_http_from_tcp_as_envoys_http_inspector(string first, Protocol expected)
    {
        Assert.Equal(expected, ProtocolSniff.Classify(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(first))));
    }

    [Fact]
    public async Task Http_split_over_two_writes_is_http_and_every_byte_stays_unread()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("PA"));
        // A minute's sniff: the point is the split, not the wait (a stall past 500 ms would read as TCP).
        var detecting = ProtocolSniff.Detect(pipe.Reader, CancellationToken.None, wait: TimeSpan.FromMinutes(1));
        await Task.Delay(50);
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("TCH /x HTTP/1.1\r\n"));

        Assert.Equal(Protocol.Http, await detecting);
        Assert.Equal("PATCH /x HTTP/1.1\r\n", await Unread(pipe.Reader));
    }

    [Fact]
    public async Task A_silent_client_speaks_tcp_and_the_reader_still_serves_what_comes_next()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("GE"));
        var started = DateTime.UtcNow;

        Assert.Equal(Protocol.Tcp, await ProtocolSniff.Detect(pipe.Reader, CancellationToken.None));
        Assert.True(DateTime.UtcNow - started >= ProtocolSniff.Timeout - TimeSpan.FromMilliseconds(50));
        // The undecided bytes were only peeked at: the byte pipe that takes over reads them first.
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("X"));
        Assert.Equal("GEX", await Unread(pipe.Reader, 3));
    }

    [Fact]
    public async Task A_connection_closed_before_a_byte_is_nothing()
    {
        var pipe = new Pipe();
        await pipe.Writer.CompleteAsync();

        Assert.Null(await ProtocolSniff.Detect(pipe.Reader, CancellationToken.None));
    }

    /// <summary>What the reader holds now (at least <paramref name="atLeast"/> bytes), consumed.</summary>
    private static async Task<string> Unread(PipeReader reader, int atLeast = 1)
    {
        while (true)
        {
            var read = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            if (read.IsCanceled) Assert.Fail("a read the sniff cancelled reached the next reader");
            if (read.Buffer.Length >= atLeast)
            {
                var text = Encoding.ASCII.GetString(read.Buffer.ToArray());
                reader.AdvanceTo(read.Buffer.End);
                return text;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
