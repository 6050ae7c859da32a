namespace Mesh.Config.Keys;

/// <summary>The names the injector and the sidecar share for kubelet's probes of an injected pod: the injector points
/// each probe at the sidecar's health port on <see cref="Path"/> and hands the original probe to the sidecar in
/// <see cref="ProbersVariable"/> (JSON: path → probe, as Istio's <c>ISTIO_KUBE_APP_PROBERS</c>); the sidecar runs it.</summary>
public static class AppHealth
{
    /// <summary>The sidecar's own readiness on its health port: what kubelet's readinessProbe of the sidecar asks, and
    /// what <c>mesh-sidecar wait</c> (the postStart hook of a pod that holds its app until the proxy starts) polls.</summary>
    public const string ReadyPath = "/healthz/ready";

    /// <summary>The sidecar's environment variable holding the original probes.</summary>
    public const string ProbersVariable = "MESH_KUBE_APP_PROBERS";

    public const string PathPrefix = "/app-health/";

    /// <summary>The probe kinds, each the suffix of its path: liveness, readiness, startup.</summary>
    public const string Liveness = "livez", Readiness = "readyz", Startup = "startupz";

    /// <summary><c>/app-health/CONTAINER/livez</c>.</summary>
    public static string Path(string container, string kind) => $"{PathPrefix}{container}/{kind}";
}
