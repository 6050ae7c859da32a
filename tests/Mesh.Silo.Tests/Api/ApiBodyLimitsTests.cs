using Mesh.Silo.Api;

namespace Mesh.Silo.Tests.Api;

public sealed class ApiBodyLimitsTests
{
    [Theory]
    [InlineData("/mesh.v1.SecretService/Create", false, 1024 * 1024 + 64 * 1024)]
    [InlineData("/mesh.v1.SecretService/Create", true, 2 * (1024 * 1024 + 64 * 1024))]
    [InlineData("/mesh.v1.SecretService/Delete", false, 64 * 1024)]
    public void A_secret_may_be_as_large_as_a_Kubernetes_Secret_and_other_calls_stay_small(string method, bool json, int limit) =>
        Assert.Equal(limit, ApiBodyLimits.For(method, json));
}
