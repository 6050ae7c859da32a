using Mesh.Grains.Endpoints;

namespace Mesh.Grains.Tests.Endpoints;

public sealed class WorkloadEqualityTests
{
    private static WorkloadInfo Workload(string version = "v1", int port = 9080) => new()
    {
        Key = "bookinfo/reviews-v1",
        Namespace = "bookinfo",
        Address = "10.0.0.1",
        Ports = new() { ["http"] = port },
        Labels = new() { ["app"] = "reviews", ["version"] = version },
        Locality = "us-east/a",
        Weight = 1,
    };

    [Fact]
    public void Copies_WithEqualDictionaries_AreTheSame() => Assert.True(WorkloadEquality.Same(Workload(), Workload()));

    [Fact]
    public void DifferentLabel_IsNotTheSame() => Assert.False(WorkloadEquality.Same(Workload("v1"), Workload("v2")));

    [Fact]
    public void DifferentPort_IsNotTheSame() => Assert.False(WorkloadEquality.Same(Workload(port: 1), Workload(port: 2)));

    [Fact]
    public void DifferentAddress_IsNotTheSame() => Assert.False(WorkloadEquality.Same(Workload(), Workload() with { Address = "10.0.0.2" }));

    [Fact]
    public void Nulls_AreTheSameOnlyAsEachOther()
    {
        Assert.True(WorkloadEquality.Same(null, null));
        Assert.False(WorkloadEquality.Same(Workload(), null));
    }
}
