namespace Mesh.Silo.Kubernetes.Source;

/// <summary>Where the Kubernetes API server is (section <c>Mesh:Kubernetes</c>). Inside a cluster the pod's service
/// account is used without any setting; outside one, the source runs only when one of these is given.</summary>
public sealed class KubernetesOptions
{
    /// <summary>A kubeconfig file (<c>--kubeconfig</c>); its current context is used.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>A plain URL without credentials (<c>--kube-api http://127.0.0.1:8001</c>: <c>kubectl proxy</c>, a test's fake).</summary>
    public string? ApiUrl { get; set; }

    /// <summary>Whether the source runs at all (default true when an API server is known).</summary>
    public bool Source { get; set; } = true;
}
