using Mesh.Sidecar.Proxy;
using Yarp.ReverseProxy.Configuration;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class ValidatedOnceTests
{
    [Fact]
    public async Task A_cluster_config_that_passed_is_not_validated_again_but_an_equal_new_instance_is()
    {
        var inner = new Counting();
        var validator = new ValidatedOnce(inner);
        var config = new ClusterConfig { ClusterId = "outbound|9080||reviews.default.svc.cluster.local" };

        Assert.Empty(await validator.ValidateClusterAsync(config));
        Assert.Empty(await validator.ValidateClusterAsync(config));
        Assert.Equal(1, inner.Clusters);

        Assert.Empty(await validator.ValidateClusterAsync(config with { }));
        Assert.Equal(2, inner.Clusters);
    }

    [Fact]
    public async Task A_config_that_failed_is_asked_again_and_fails_again()
    {
        var inner = new Counting { Fail = true };
        var validator = new ValidatedOnce(inner);
        var route = new RouteConfig { RouteId = "r" };

        Assert.Single(await validator.ValidateRouteAsync(route));
        Assert.Single(await validator.ValidateRouteAsync(route));
        Assert.Equal(2, inner.Routes);
    }

    private sealed class Counting : IConfigValidator
    {
        public bool Fail { get; init; }
        public int Clusters { get; private set; }
        public int Routes { get; private set; }

        public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster)
        {
            Clusters++;
            return ValueTask.FromResult<IList<Exception>>(Fail ? [new ArgumentException("bad cluster")] : []);
        }

        public ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
        {
            Routes++;
            return ValueTask.FromResult<IList<Exception>>(Fail ? [new ArgumentException("bad route")] : []);
        }
    }
}
