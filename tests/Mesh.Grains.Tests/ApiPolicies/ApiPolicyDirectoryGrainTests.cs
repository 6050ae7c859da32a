using Mesh.Grains.ApiPolicies;
using Mesh.Grains.Config;

namespace Mesh.Grains.Tests.ApiPolicies;

/// <summary>ApiPolicies reach the policy directory through ConfigDependents, and leave it when deleted.</summary>
[Collection(MeshClusterCollection.Name)]
public sealed class ApiPolicyDirectoryGrainTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ap-{Guid.NewGuid():N}";

    private string Key => $"ApiPolicy/{_namespace}/limits";

    [Fact]
    public async Task An_applied_policy_is_in_the_directory_with_its_spec_until_it_is_deleted()
    {
        await mesh.Grains.GetGrain<IConfigGrain>(Key).Apply(new ConfigWrite
        {
            ApiVersion = "policy.mesh.dev/v1",
            SpecJson = """{"targetRefs": [{"kind": "Gateway", "name": "ingress"}], "maxRequestBodyBytes": 1024}""",
        }).Within();

        var policy = Assert.Single(await All(), p => p.Key == Key);
        Assert.Equal(_namespace, policy.Namespace);
        Assert.Contains("maxRequestBodyBytes", policy.SpecJson, StringComparison.Ordinal);

        await mesh.Grains.GetGrain<IConfigGrain>(Key).Delete(null, dryRun: false).Within();
        Assert.DoesNotContain(await All(), p => p.Key == Key);
    }

    private async Task<List<Mesh.Grains.Services.ConfigSpec>> All() =>
        await mesh.Grains.GetGrain<IApiPolicyDirectoryGrain>(IApiPolicyDirectoryGrain.Key).GetAll().Within();
}
