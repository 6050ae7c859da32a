namespace Mesh.Kubernetes.Injection;

/// <summary>What the injector puts into a pod: the sidecar's image and how it reaches the control plane and proves its
/// identity. Defaults are Istio's where Istio has one (uid 1337, health port 15021, token audience <c>istio-ca</c>).</summary>
public sealed record InjectionSettings
{
    /// <summary>The image holding <c>mesh-sidecar</c>; the capture init container runs the same binary.</summary>
    public required string SidecarImage { get; init; }

    /// <summary>The control plane's secured xDS address, <c>HOST:PORT</c> (<c>--xds</c>).</summary>
    public required string XdsAddress { get; init; }

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>The sidecar's user id: capture lets this user's traffic out uncaptured.</summary>
    public int ProxyUid { get; init; } = 1337;

    public int HealthPort { get; init; } = Mesh.Config.Keys.SidecarPorts.Health;

    public int MetricsPort { get; init; } = Mesh.Config.Keys.SidecarPorts.Metrics;

    /// <summary>Where the projected service-account token is mounted and <c>--token-file</c> points.</summary>
    public string TokenPath { get; init; } = "/var/run/secrets/tokens/istio-token";

    public int TokenExpirationSeconds { get; init; } = 43200;

    /// <summary>The ConfigMap (in the pod's namespace) holding the mesh's root certificates as <c>root-cert.pem</c>,
    /// mounted where <c>--root-cert</c> points.</summary>
    public string RootCertConfigMap { get; init; } = "mesh-ca-root-cert";

    public string RootCertPath { get; init; } = "/var/run/secrets/mesh/root-cert.pem";
}
