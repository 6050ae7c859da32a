namespace Mesh.Kubernetes.Injection;

/// <summary>The labels, annotations and object names of injection: Istio's opt-in switches, read as Istio reads them,
/// and what Mesh adds to a pod.</summary>
public static class InjectionNames
{
    /// <summary>The namespace label: <c>enabled</c> injects its pods, <c>disabled</c> never.</summary>
    public const string NamespaceLabel = "istio-injection";

    /// <summary>The pod label (or, deprecated, annotation): <c>true</c> or <c>false</c>.</summary>
    public const string PodSwitch = "sidecar.istio.io/inject";

    /// <summary>Written on an injected pod: what was added (JSON), so that a second admission leaves it alone.</summary>
    public const string StatusAnnotation = "mesh.io/sidecar-status";

    /// <summary>Istio's own record of an injection: a pod already injected by istiod is left alone too.</summary>
    public const string IstioStatusAnnotation = "sidecar.istio.io/status";

    public const string SidecarContainer = "mesh-sidecar";
    public const string CaptureContainer = "mesh-capture";
    public const string TokenVolume = "mesh-token";
    public const string RootCertVolume = "mesh-ca-root";

    /// <summary>The audience of the projected token; the control plane's TokenReview asks for the same.</summary>
    public const string TokenAudience = "istio-ca";
}
