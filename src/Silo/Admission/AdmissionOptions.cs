using Mesh.Kubernetes.Injection;

namespace Mesh.Silo.Admission;

/// <summary>The admission webhooks (section <c>Mesh:Admission</c>): sidecar injection and validation over HTTPS, with a
/// certificate from the mesh's CA for the webhook Service's names.</summary>
public sealed class AdmissionOptions
{
    /// <summary>The HTTPS port. Unset: 15017 inside a cluster, no webhook outside one.</summary>
    public int? Port { get; set; }

    /// <summary>Bind address (default every IPv4 interface: the API server calls in from outside the pod).</summary>
    public string Address { get; set; } = "*";

    /// <summary>The webhook Service: its names (<c>NAME.NAMESPACE.svc</c>, ...) go in the serving certificate.</summary>
    public string ServiceName { get; set; } = "mesh-webhook";

    /// <summary>The Service's namespace; default the silo pod's own (<c>POD_NAMESPACE</c>), else <c>mesh-system</c>.</summary>
    public string? ServiceNamespace { get; set; }

    /// <summary>The MutatingWebhookConfiguration whose <c>caBundle</c> the silo keeps current.</summary>
    public string InjectorConfiguration { get; set; } = "mesh-sidecar-injector";

    /// <summary>The ValidatingWebhookConfiguration whose <c>caBundle</c> the silo keeps current.</summary>
    public string ValidatorConfiguration { get; set; } = "mesh-validator";

    public string SidecarImage { get; set; } = "mesh-sidecar:latest";

    /// <summary>The secured xDS address injected sidecars dial; default <c>mesh.NAMESPACE.svc:15012</c>, the Service
    /// deploy/ ships and the name its silos put in their xDS certificate.</summary>
    public string? XdsAddress { get; set; }

    public int ProxyUid { get; set; } = 1337;

    public string Namespace => ServiceNamespace ?? (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "mesh-system");

    /// <summary>The port served, or null when the webhooks are off.</summary>
    public int? ServedPort => Port ?? (InCluster.Value ? 15017 : null);

    private static readonly Lazy<bool> InCluster = new(k8s.KubernetesClientConfiguration.IsInCluster);

    public InjectionSettings Injection => new()
    {
        SidecarImage = SidecarImage,
        XdsAddress = XdsAddress ?? $"mesh.{Namespace}.svc:15012",
        ProxyUid = ProxyUid,
    };

    /// <summary>The names the API server may dial: the Service's short and full forms, and loopback for tests.</summary>
    public IReadOnlyList<string> DnsNames =>
        [$"{ServiceName}.{Namespace}.svc", $"{ServiceName}.{Namespace}.svc.cluster.local", $"{ServiceName}.{Namespace}", ServiceName, "localhost"];
}
