using System.Buffers;
using System.Net.Security;
using System.Text;
using Mesh.Sidecar.Proxy.Gateway;

namespace Mesh.Sidecar.Tests.Proxy.Gateway;

public sealed class ClientHelloTests
{
    /// <summary>The first bytes .NET's TLS client sends for <paramref name="targetHost"/>: its ClientHello.</summary>
    internal static async Task<byte[]> RealClientHello(string targetHost)
    {
        var wire = new CapturingStream();
        await using var ssl = new SslStream(wire);
        await Assert.ThrowsAnyAsync<Exception>(() => ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
        }));
        return wire.Written.ToArray();
    }

    [Theory]
    [InlineData("api.example.com")]
    [InlineData("API.Example.COM")]
    public async Task The_server_name_of_a_real_ClientHello_is_read_lowercase(string host)
    {
        var hello = ClientHello.Parse(new ReadOnlySequence<byte>(await RealClientHello(host)));

        Assert.Equal((ClientHello.Kind.Tls, "api.example.com"), (hello.Status, hello.ServerName));
    }

    [Fact]
    public async Task A_ClientHello_without_a_server_name_is_TLS_with_none()
    {
        // .NET sends no SNI for an IP address.
        var hello = ClientHello.Parse(new ReadOnlySequence<byte>(await RealClientHello("127.0.0.1")));

        Assert.Equal((ClientHello.Kind.Tls, null), (hello.Status, hello.ServerName));
    }

    [Fact]
    public async Task Until_the_whole_ClientHello_is_there_more_is_needed()
    {
        var bytes = await RealClientHello("api.example.com");

        foreach (var length in new[] { 0, 1, 4, 5, 40, bytes.Length - 1 })
        {
            Assert.Equal(ClientHello.Kind.NeedMore, ClientHello.Parse(new ReadOnlySequence<byte>(bytes, 0, length)).Status);
        }
    }

    [Fact]
    public async Task A_ClientHello_split_across_buffer_segments_and_TLS_records_is_read_whole()
    {
        var bytes = await RealClientHello("split.example.com");
        // The same handshake message in two records, the second starting in another buffer segment.
        var message = bytes[5..];
        var half = message.Length / 2;
        var records = Record(message[..half]).Concat(Record(message[half..])).ToArray();

        var hello = ClientHello.Parse(Segments(records, 7));

        Assert.Equal((ClientHello.Kind.Tls, "split.example.com"), (hello.Status, hello.ServerName));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    [InlineData("\u0016\u0002")]
    public void Anything_else_is_not_TLS(string start)
    {
        Assert.Equal(ClientHello.Kind.NotTls, ClientHello.Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(start))).Status);
    }

    private static byte[] Record(byte[] payload) => [0x16, 0x03, 0x01, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var segment = new Segment(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), last);
            first ??= segment;
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is null) return;
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }

    /// <summary>A peer that takes what the client writes and then hangs up.</summary>
    private sealed class CapturingStream : Stream
    {
        public MemoryStream Written { get; } = new();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("the test's peer hung up");
        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("the test's peer hung up");
        public override void Flush()
        {
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
