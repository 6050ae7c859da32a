using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace Mesh.Sidecar.Proxy;

/// <summary>YARP's config validator, asked once per config instance. YARP validates every cluster of the config on any
/// change; <see cref="YarpClusters"/> hands it the same <see cref="ClusterConfig"/> instance for every cluster a push
/// did not change, so a push that changes one of 1,000 clusters validates one, not 1,000. Only a config that passed is
/// remembered: one that failed is asked again (and fails again, with YARP's own errors).</summary>
public sealed class ValidatedOnce(IConfigValidator inner) : IConfigValidator
{
    private readonly ConditionalWeakTable<object, object> _passed = [];

    public ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route) => Validate(route, inner.ValidateRouteAsync);

    public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => Validate(cluster, inner.ValidateClusterAsync);

    private async ValueTask<IList<Exception>> Validate<T>(T config, Func<T, ValueTask<IList<Exception>>> validate) where T : class
    {
        if (_passed.TryGetValue(config, out _)) return [];
        var errors = await validate(config);
        if (errors.Count == 0) _passed.AddOrUpdate(config, config);
        return errors;
    }
}
