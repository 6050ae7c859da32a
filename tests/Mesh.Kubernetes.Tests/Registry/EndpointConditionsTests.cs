using k8s.Models;
using Mesh.Kubernetes.Registry;

namespace Mesh.Kubernetes.Tests.Registry;

public class EndpointConditionsTests
{
    [Theory]
    [InlineData(true, null, null, false, EndpointHealth.Healthy)]
    [InlineData(null, null, null, false, EndpointHealth.Healthy)]
    [InlineData(true, true, false, false, EndpointHealth.Healthy)]
    [InlineData(false, true, true, false, EndpointHealth.Draining)]
    [InlineData(false, false, true, false, EndpointHealth.Terminating)]
    [InlineData(false, null, true, false, EndpointHealth.Terminating)]
    [InlineData(false, null, null, false, EndpointHealth.Unhealthy)]
    [InlineData(false, true, false, false, EndpointHealth.Unhealthy)]
    // publishNotReadyAddresses: every endpoint is in.
    [InlineData(false, null, null, true, EndpointHealth.Healthy)]
    [InlineData(false, false, true, true, EndpointHealth.Healthy)]
    public void Health_FollowsTheConditions(bool? ready, bool? serving, bool? terminating, bool publishNotReady, EndpointHealth expected)
    {
        var conditions = new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating };
        Assert.Equal(expected, EndpointConditions.Health(conditions, publishNotReady));
    }

    [Fact]
    public void Health_WithoutConditions_IsHealthy() => Assert.Equal(EndpointHealth.Healthy, EndpointConditions.Health(null, false));
}
