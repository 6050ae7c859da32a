using System.CommandLine;

namespace Mesh.Sidecar.Hosting;

/// <summary>What the sidecar's command lines (<c>mesh-sidecar</c>, <c>capture</c>, <c>wait</c>) share: options that
/// take one text value (ports are read by <see cref="Mesh.Config.Text.PortNumber"/>).</summary>
internal static class CommandLineValues
{
    public static Option<string?> Single(string name, string description) => new(name) { Description = description };
}
