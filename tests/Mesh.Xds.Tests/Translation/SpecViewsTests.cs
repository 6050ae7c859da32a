using Mesh.Grains.Services;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

public sealed class SpecViewsTests
{
    [Fact]
    public void A_spec_is_read_once_per_arrival_and_again_when_a_new_version_arrives()
    {
        var spec = new ConfigSpec("VirtualService/shop/reviews", "shop", """{"hosts": ["reviews"], "http": []}""");
        var again = spec with { };

        Assert.Same(SpecViews.VirtualService(spec), SpecViews.VirtualService(spec));
        Assert.NotSame(SpecViews.VirtualService(spec), SpecViews.VirtualService(again));
        Assert.Equal(["reviews"], SpecViews.VirtualService(again).Hosts);
    }
}
