using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace Mesh.Sidecar.Telemetry;

/// <summary>One JSON line per request (Envoy's default access-log fields, as Istio's JSON encoding names them), written
/// off the request path; lines that would block the proxy are dropped and counted instead.</summary>
public sealed class AccessLog(string target) : BackgroundService
{
    private readonly Channel<byte[]> _lines = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _dropped;

    public bool Enabled => target != "off";

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Write(Action<Utf8JsonWriter> fields)
    {
        if (!Enabled) return;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }
        if (!_lines.Writer.TryWrite(buffer.WrittenSpan.ToArray())) Interlocked.Increment(ref _dropped);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        await using var output = target == "stdout" ? Console.OpenStandardOutput() : new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.Read);
        var newline = "\n"u8.ToArray();
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    await output.WriteAsync(line, stoppingToken);
                    await output.WriteAsync(newline, stoppingToken);
                }
                await output.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
