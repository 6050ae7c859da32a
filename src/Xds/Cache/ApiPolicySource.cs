using Mesh.Grains.ApiPolicies;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the ApiPolicy directory, read when a gateway route is first translated.</summary>
public sealed class ApiPolicySource(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<XdsOptions> options, ILogger<ApiPolicySource> logger)
    : DirectorySource<IApiPolicyDirectoryGrain, ConfigSpec>(grains, IApiPolicyDirectoryGrain.Key, subscriptions, options.Value.SubscriptionExpiry / 3, logger);
