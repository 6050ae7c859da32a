using Mesh.Grains.Services;
using Mesh.Grains.Directories;

namespace Mesh.Grains.ApiPolicies;

/// <summary>Every ApiPolicy, by key, so that gateway translation resolves each policy's targets (a Gateway, a route,
/// a host) against the gateways and routes it translates, whenever either changes: the attachment is computed where
/// both are known, never stored. One grain (<see cref="Key"/>): policies are few and change rarely.</summary>
[Alias("mesh.IApiPolicyDirectoryGrain")]
public interface IApiPolicyDirectoryGrain : IDirectoryGrain<ConfigSpec>
{
    public const string Key = "apipolicies";
}
