using Mesh.Config.Validation.Rules;
using Mesh.Kubernetes.Registry;

namespace Mesh.Kubernetes.Tests.Registry;

public class RegistryNamesTests
{
    [Theory]
    [InlineData("reviews", "10.1.0.5", "reviews-10-1-0-5")]
    [InlineData("reviews", "FD00:0:0::5", "reviews-fd00--5")]
    [InlineData("reviews", "fd00::", "reviews-fd00--0")]
    public void WorkloadEntryName_IsTheServiceAndTheAddress(string service, string address, string expected) =>
        Assert.Equal(expected, RegistryNames.WorkloadEntryName(service, address));

    [Fact]
    public void WorkloadEntryName_TooLong_KeepsADistinctValidLabel()
    {
        var service = new string('s', 60);
        var a = RegistryNames.WorkloadEntryName(service, "fd00:10:1::5");
        var b = RegistryNames.WorkloadEntryName(service, "fd00:10:1::6");
        Assert.True(ResourceNames.IsDns1123Label(a), a);
        Assert.True(ResourceNames.IsDns1123Label(b), b);
        Assert.NotEqual(a, b);
    }
}
