namespace Mesh.Sidecar.Proxy;

/// <summary>The request body as the upstream reads it: counted (for telemetry) and, when retries or mirrors may need it
/// again, recorded up to a limit, as Envoy buffers a request for retries. A body larger than the limit streams through
/// and can no longer be replayed.</summary>
public sealed class ReplayableBody(Stream inner) : Stream
{
    private int _recordLimit;
    private MemoryStream? _recorded;
    private long _replayPosition = -1;
    private bool _innerDone;
    private bool _overflowed;

    public long BytesRead { get; private set; }

    /// <summary>The whole body, when it was read to the end and fit the limit.</summary>
    public ReadOnlyMemory<byte>? Complete => _innerDone && _recorded is { } recorded ? recorded.GetBuffer().AsMemory(0, (int)recorded.Length) : null;

    /// <summary>Keep up to <paramref name="limit"/> bytes for a replay; only before the first byte is read.</summary>
    public void RecordUpTo(int limit)
    {
        if (BytesRead > 0 || _recorded is not null) return;
        _recordLimit = limit;
        _recorded = new MemoryStream();
    }

    /// <summary>Start again from the first byte; false when the body no longer fits the record.</summary>
    public bool Rewind()
    {
        if (_recorded is null) return BytesRead == 0 && !_overflowed;
        _replayPosition = 0;
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_replayPosition >= 0 && _recorded is { } recorded)
        {
            if (_replayPosition < recorded.Length)
            {
                var count = (int)Math.Min(buffer.Length, recorded.Length - _replayPosition);
                recorded.GetBuffer().AsMemory((int)_replayPosition, count).CopyTo(buffer);
                _replayPosition += count;
                return count;
            }
            _replayPosition = -1;
        }
        if (_innerDone) return 0;
        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            _innerDone = true;
            return 0;
        }
        BytesRead += read;
        if (_recorded is { } record)
        {
            if (record.Length + read > _recordLimit)
            {
                _recorded = null;
                _overflowed = true;
            }
            else
            {
                record.Write(buffer.Span[..read]);
            }
        }
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Counts the bytes of the response body as they go to the client.</summary>
public sealed class CountingResponseBody(Stream inner) : Stream
{
    public long BytesWritten { get; private set; }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BytesWritten += buffer.Length;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        BytesWritten += count;
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
