using Mesh.Grains.Subscriptions;
using Mesh.Xds.Cache;
using Mesh.Xds.Security;
using Mesh.Xds.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds;

/// <summary>Adds the xDS front-end to a silo's host.</summary>
public static class XdsServiceCollectionExtensions
{
    /// <param name="siloName">How streams name the silo they run on, in proxy status.</param>
    public static IServiceCollection AddMeshXds(this IServiceCollection services, Action<XdsOptions> configure, Func<IServiceProvider, string> siloName)
    {
        services.AddOptions<XdsOptions>().Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<XdsOptions>, XdsOptionsValidator>();
        services.TryAddSingleton<SubscriptionRegistry>();
        services.AddSingleton<ServiceModelCache>();
        services.AddSingleton<InboundPolicySource>();
        services.AddSingleton<InboundListeners>();
        services.AddSingleton<GatewaySource>();
        services.AddSingleton<ApiPolicySource>();
        services.AddSingleton<GatewayResources>();
        services.AddSingleton<XdsResourceStore>();
        services.AddSingleton<SecretCache>();
        services.AddSingleton<SecretResources>();
        services.AddSingleton<IXdsCache, XdsResourceCache>();
        services.AddSingleton<XdsMetrics>();
        services.AddSingleton<TrustStore>();
        services.AddHostedService(provider => provider.GetRequiredService<TrustStore>());
        services.AddSingleton<WorkloadAuthenticator>();
        services.AddSingleton<InboundEntitlement>();
        services.AddSingleton(provider => new StreamContext(
            provider.GetRequiredService<IXdsCache>(),
            provider.GetRequiredService<XdsMetrics>(),
            provider.GetRequiredService<IOptions<XdsOptions>>().Value,
            provider.GetRequiredService<IGrainFactory>(),
            siloName(provider),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<WorkloadAuthenticator>(),
            provider.GetRequiredService<InboundEntitlement>())
        {
            Renewals = provider.GetRequiredService<SubscriptionRegistry>(),
            Credentials = new CredentialEntitlement(provider.GetRequiredService<GatewayResources>().Selecting),
        });
        services.AddSingleton<StreamRunner>();
        return services;
    }

    /// <summary>ADS, the per-type services and the rate-limit leases (the host keeps them to the xDS ports).</summary>
    public static void MapMeshXds(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<AdsService>();
        endpoints.MapGrpcService<ClusterDiscovery>();
        endpoints.MapGrpcService<EndpointDiscovery>();
        endpoints.MapGrpcService<ListenerDiscovery>();
        endpoints.MapGrpcService<RouteDiscovery>();
        endpoints.MapGrpcService<RateLimitLeaseService>();
    }
}
