using Mesh.Kubernetes.Status;

namespace Mesh.Silo.Kubernetes.Status;

public static class StatusServiceCollectionExtensions
{
    /// <summary>The status writer as the <see cref="ISourcedObjectSink"/> the Kubernetes source reports to. Needs the
    /// <c>k8s.IKubernetes</c> the source registers.</summary>
    public static IServiceCollection AddKubernetesStatus(this IServiceCollection services, StatusWriterOptions? options = null)
    {
        services.AddSingleton(options ?? new StatusWriterOptions());
        services.AddSingleton<ProxyFleet>();
        services.AddSingleton<GatewayApiStatusFeed>();
        services.AddSingleton<IFleetInputs, GrainFleetInputs>();
        services.AddSingleton<KubernetesObjectStatus>();
        services.AddSingleton<StatusWriter>();
        services.AddSingleton<ISourcedObjectSink>(provider => provider.GetRequiredService<StatusWriter>());
        services.AddHostedService(provider => provider.GetRequiredService<StatusWriter>());
        return services;
    }
}
