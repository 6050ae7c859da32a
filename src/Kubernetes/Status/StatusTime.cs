using System.Globalization;

namespace Mesh.Kubernetes.Status;

/// <summary>Times as Kubernetes writes them (<c>metav1.Time</c>: RFC 3339, UTC, whole seconds).</summary>
public static class StatusTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
