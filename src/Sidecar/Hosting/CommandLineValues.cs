using System.CommandLine;
using System.Globalization;

namespace Mesh.Sidecar.Hosting;

/// <summary>What the sidecar's command lines (<c>mesh-sidecar</c>, <c>capture</c>, <c>wait</c>) share: options that
/// take one text value, and how a port is read.</summary>
internal static class CommandLineValues
{
    public static Option<string?> Single(string name, string description) => new(name) { Description = description };

    /// <summary>A port, 1-65535; null if <paramref name="text"/> is not one.</summary>
    public static int? Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : null;
}
