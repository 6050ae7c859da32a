using Mesh.Hosting.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Tests.Hosting;

public sealed class LogLineFormatterTests
{
    [Fact]
    public void CallerControlledText_StaysOnOneLine_WithoutRawControlCharacters()
    {
        var formatter = new LogLineFormatter(new FixedOptions(new ConsoleFormatterOptions { TimestampFormat = null }));
        var writer = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Information, "Mesh.Silo.Audit.AuditTrail", new EventId(7001), "Audit: bob apply team-a/x\n2026 forged\u001b[32m",
            new InvalidOperationException("bad\r\nthing"), (state, exception) => state);

        formatter.Write(entry, null, writer);

        Assert.Equal(@"info: Mesh.Silo.Audit.AuditTrail[7001] Audit: bob apply team-a/x\n2026 forged\x1b[32m System.InvalidOperationException: bad\r\nthing" + "\n", writer.ToString());
    }

    private sealed class FixedOptions(ConsoleFormatterOptions value) : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue => value;
        public ConsoleFormatterOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
