using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Mesh.Sidecar.Proxy.Gateway;

/// <summary>What a connection's first bytes say, as Envoy's tls_inspector reads them: a TLS ClientHello and its server
/// name (SNI), something that is not TLS, or too few bytes to tell yet.</summary>
public readonly record struct ClientHello(ClientHello.Kind Status, string? ServerName)
{
    public enum Kind { NeedMore, NotTls, Tls }

    /// <summary>A ClientHello larger than this is not read for its server name (as Envoy's inspector, 64 KiB).</summary>
    public const int MaxSize = 64 * 1024;

    private const byte HandshakeRecord = 0x16;
    private const byte ClientHelloMessage = 0x01;
    private const ushort ServerNameExtension = 0x0000;
    private const byte HostName = 0x00;

    public static ClientHello NeedMore { get; } = new(Kind.NeedMore, null);

    public static ClientHello NotTls { get; } = new(Kind.NotTls, null);

    /// <summary>Reads the ClientHello at the start of <paramref name="buffer"/> (it may span several records).</summary>
    public static ClientHello Parse(ReadOnlySequence<byte> buffer)
    {
        var bytes = buffer.Length > MaxSize + 5 ? buffer.Slice(0, MaxSize + 5).ToArray() : buffer.ToArray();
        var span = bytes.AsSpan();
        if (span.Length >= 1 && span[0] != HandshakeRecord) return NotTls;
        if (span.Length >= 2 && span[1] != 3) return NotTls;
        // The handshake message, gathered from the records' payloads.
        var handshake = new List<byte>();
        var offset = 0;
        int? needed = null;
        while (needed is null || handshake.Count < needed)
        {
            if (span.Length < offset + 5) return span.Length >= MaxSize ? new ClientHello(Kind.Tls, null) : NeedMore;
            if (span[offset] != HandshakeRecord) return new ClientHello(Kind.Tls, null);
            int length = BinaryPrimitives.ReadUInt16BigEndian(span.Slice(offset + 3, 2));
            if (span.Length < offset + 5 + length) return span.Length >= MaxSize ? new ClientHello(Kind.Tls, null) : NeedMore;
            handshake.AddRange(span.Slice(offset + 5, length));
            offset += 5 + length;
            if (needed is null && handshake.Count >= 4)
            {
                if (handshake[0] != ClientHelloMessage) return NotTls;
                needed = 4 + ((handshake[1] << 16) | (handshake[2] << 8) | handshake[3]);
                if (needed > MaxSize) return new ClientHello(Kind.Tls, null);
            }
        }
        return new ClientHello(Kind.Tls, ServerNameOf(handshake.ToArray().AsSpan(4, needed.Value - 4)));
    }

    /// <summary>The host name of the server_name extension, lowercase; null when there is none or the message is
    /// malformed (the handshake then fails on its own).</summary>
    private static string? ServerNameOf(ReadOnlySpan<byte> hello)
    {
        var reader = new Reader(hello);
        // legacy_version, random, session_id, cipher_suites, compression_methods.
        if (!reader.Skip(2 + 32) || !reader.SkipVector(1) || !reader.SkipVector(2) || !reader.SkipVector(1)) return null;
        if (!reader.Vector(2, out var extensions)) return null;
        var list = new Reader(extensions);
        while (list.UInt16(out var type) && list.Vector(2, out var data))
        {
            if (type != ServerNameExtension) continue;
            var names = new Reader(data);
            if (!names.Vector(2, out var entries)) return null;
            var entry = new Reader(entries);
            while (entry.Byte(out var nameType) && entry.Vector(2, out var name))
            {
                if (nameType == HostName) return Encoding.ASCII.GetString(name).ToLowerInvariant();
            }
            return null;
        }
        return null;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public bool Skip(int count)
        {
            if (_rest.Length < count) return false;
            _rest = _rest[count..];
            return true;
        }

        public bool Byte(out byte value)
        {
            value = 0;
            if (_rest.Length < 1) return false;
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool UInt16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2) return false;
            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        /// <summary>A vector with a length prefix of <paramref name="prefix"/> bytes (1 or 2).</summary>
        public bool Vector(int prefix, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < prefix) return false;
            var length = prefix == 1 ? _rest[0] : BinaryPrimitives.ReadUInt16BigEndian(_rest);
            if (_rest.Length < prefix + length) return false;
            value = _rest.Slice(prefix, length);
            _rest = _rest[(prefix + length)..];
            return true;
        }

        public bool SkipVector(int prefix) => Vector(prefix, out _);
    }
}
