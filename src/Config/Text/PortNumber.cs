using System.Globalization;

namespace Mesh.Config.Text;

/// <summary>A port number written as text, as flags, environment variables and annotations give one: digits only,
/// 1-65535 (0 too where the caller gives it a meaning, such as Istio's "no status port").</summary>
public static class PortNumber
{
    /// <summary>The port; null if <paramref name="text"/> is not one.</summary>
    public static int? Parse(string text, bool allowZero = false) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 && (port > 0 || allowZero) ? port : null;
}
