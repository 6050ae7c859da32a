using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Mesh.Hosting.Logging;

/// <summary>The one console log setup of Mesh's processes: <see cref="LogLineFormatter"/>, one escaped record per line.
/// The formatter is registered directly (not through <c>AddConsoleFormatter</c>, which binds options from
/// configuration by reflection), so the setup holds in the NativeAOT sidecar.</summary>
public static class MeshConsoleLogging
{
    public static ILoggingBuilder AddMeshConsole(this ILoggingBuilder logging, string timestampFormat, bool utc)
    {
        logging.AddConsole(console => console.FormatterName = LogLineFormatter.Name);
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, LogLineFormatter>());
        logging.Services.Configure<ConsoleFormatterOptions>(console =>
        {
            console.TimestampFormat = timestampFormat;
            console.UseUtcTimestamp = utc;
        });
        return logging;
    }
}
