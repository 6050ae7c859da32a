using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Directories;
using Mesh.Grains.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Grains.ApiPolicies;

/// <summary>The ApiPolicies, fed by <see cref="ConfigDependents"/> (see <see cref="IApiPolicyDirectoryGrain"/>).</summary>
public sealed class ApiPolicyDirectoryGrain(
    [PersistentState("apiPolicyDirectory", StorageNames.Mesh)] IPersistentState<ApiPolicyDirectoryState> state,
    IOptions<ChangeFeedOptions> options,
    ILogger<ApiPolicyDirectoryGrain> logger)
    : DirectoryGrain<ApiPolicyDirectoryState, ConfigSpec>(state, options.Value.SubscriptionExpiry, logger), IApiPolicyDirectoryGrain
{
    protected override Dictionary<string, ConfigSpec> Entries(ApiPolicyDirectoryState state) => state.Policies;

    protected override string KeyOf(ConfigSpec policy) => policy.Key;
}

/// <summary>What the ApiPolicy directory persists: each policy's spec by key.</summary>
[GenerateSerializer, Alias("mesh.ApiPolicyDirectoryState")]
public sealed class ApiPolicyDirectoryState
{
    [Id(0)] public Dictionary<string, ConfigSpec> Policies { get; set; } = [];
}
