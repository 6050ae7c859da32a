using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Reconcile;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Grains;

/// <summary>Registers what Mesh's grains need from the silo's service provider.</summary>
public static class GrainServiceCollectionExtensions
{
    public static IServiceCollection AddMeshGrains(this IServiceCollection services, Action<ChangeFeedOptions>? configureFeed = null,
        Action<ReconcileOptions>? configureReconcile = null)
    {
        services.AddOptions<ReconcileOptions>().Configure(options => configureReconcile?.Invoke(options));
        services.AddSingleton<ReconcileMetrics>();
        services.AddHostedService<OutboxSweeper>();
        services.AddSingleton<ConfigDependents>();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ChangeFeedOptions>().Configure(options => configureFeed?.Invoke(options));
        return services;
    }
}
