namespace Mesh.Config.Keys;

/// <summary>The sidecar's own ports at their defaults, which the injector, the sidecar and <c>capture</c> share.</summary>
public static class SidecarPorts
{
    public const int Admin = 15000, Health = 15021, Metrics = 15090;

    /// <summary>The ports <c>capture</c> never captures inbound, whatever it is told: redirecting them would cut the
    /// kubelet off from the sidecar's health and metrics.</summary>
    public static readonly IReadOnlyList<int> NeverCaptured = [Metrics, Health, Admin];
}
