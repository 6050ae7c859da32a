using Mesh.Kubernetes.Status;

namespace Mesh.Silo.Kubernetes.Status;

public static class StatusServiceCollectionExtensions
{
    /// <summary>The status writer as the <see cref="ISourcedObjectSink"/> the Kubernetes source reports to. Needs the
    /// <c>k8s.IKubernetes</c> the source registers.</summary>
    public static IServiceCollection AddKubernetesStatus(this IServiceCollection services, StatusWriterOptions? options = null)
    {
        // One root namespace for translation and status: the xDS side's, over any the caller's options name.
        services.AddSingleton(provider => (options ?? new StatusWriterOptions()) with
        {
            RootNamespace = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Mesh.Xds.XdsOptions>>().Value.RootNamespace,
        });
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
