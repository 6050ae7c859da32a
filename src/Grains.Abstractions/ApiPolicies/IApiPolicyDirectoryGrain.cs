using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;

namespace Mesh.Grains.ApiPolicies;

/// <summary>Every ApiPolicy, by key, so that gateway translation resolves each policy's targets (a Gateway, a route,
/// a host) against the gateways and routes it translates, whenever either changes: the attachment is computed where
/// both are known, never stored. One grain (<see cref="Key"/>): policies are few and change rarely.</summary>
[Alias("mesh.IApiPolicyDirectoryGrain")]
public interface IApiPolicyDirectoryGrain : ISubscribable<IApiPolicyDirectoryObserver>
{
    public const string Key = "apipolicies";

    [Alias("Set")] Task Set(ConfigSpec policy);
    [Alias("Remove")] Task Remove(string policyKey);
    [Alias("GetAll")] Task<List<ConfigSpec>> GetAll();
}

/// <summary>Told with every policy when one changes.</summary>
[Alias("mesh.IApiPolicyDirectoryObserver")]
public interface IApiPolicyDirectoryObserver : IGrainObserver
{
    [Orleans.Concurrency.OneWay, Alias("OnApiPoliciesChanged")] Task OnApiPoliciesChanged(List<ConfigSpec> policies);
}
