using Mesh.Kubernetes.Source;
using Mesh.Silo.Kubernetes.Status;

namespace Mesh.Silo.Kubernetes.Source;

/// <summary>The silo's connection to the Kubernetes API server, when it has one: registers the client
/// (<see cref="k8s.IKubernetes"/>, for the status writer, the webhooks' caBundle and TokenReview as well), the source
/// and the root-cert ConfigMaps.</summary>
public static class KubernetesConnection
{
    /// <summary>The client's configuration from <c>--kubeconfig</c>, <c>--kube-api</c> or the pod's service account,
    /// in that order; null when none applies (the silo then runs without Kubernetes).</summary>
    public static k8s.KubernetesClientConfiguration? Configuration(KubernetesOptions options)
    {
        if (!string.IsNullOrEmpty(options.Kubeconfig))
        {
            if (!File.Exists(options.Kubeconfig)) throw new InvalidOperationException($"--kubeconfig: {options.Kubeconfig} does not exist");
            return k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
        }
        if (!string.IsNullOrEmpty(options.ApiUrl))
        {
            if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"--kube-api: \"{options.ApiUrl}\" is not an http(s) URL");
            }
            return new k8s.KubernetesClientConfiguration { Host = url.AbsoluteUri.TrimEnd('/') };
        }
        return k8s.KubernetesClientConfiguration.IsInCluster() ? k8s.KubernetesClientConfiguration.InClusterConfig() : null;
    }

    public static IServiceCollection AddKubernetesSource(this IServiceCollection services, k8s.KubernetesClientConfiguration configuration, KubernetesOptions options)
    {
        services.AddSingleton(_ => new k8s.Kubernetes(configuration));
        services.AddSingleton<k8s.IKubernetes>(provider => provider.GetRequiredService<k8s.Kubernetes>());
        if (!options.Source) return services;
        services.AddSingleton<SourceMetrics>();
        services.AddSingleton<SourceLeadership>();
        services.AddHostedService<KubernetesSource>();
        services.AddHostedService<RootCert.RootCertPublisher>();
        services.AddKubernetesStatus();
        return services;
    }
}
