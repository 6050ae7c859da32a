using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Mesh.Hosting.Logging;

/// <summary>The one console log setup of Mesh's processes: <see cref="LogLineFormatter"/>, one escaped record per line.</summary>
public static class MeshConsoleLogging
{
    public static ILoggingBuilder AddMeshConsole(this ILoggingBuilder logging, string timestampFormat, bool utc)
        => logging.AddConsole(console => console.FormatterName = LogLineFormatter.Name)
            .AddConsoleFormatter<LogLineFormatter, ConsoleFormatterOptions>(console =>
            {
                console.TimestampFormat = timestampFormat;
                console.UseUtcTimestamp = utc;
            });
}
