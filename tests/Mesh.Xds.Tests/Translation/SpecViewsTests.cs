using Mesh.Grains.Services;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

public sealed class SpecViewsTests
{
    [Fact]
    public void A_spec_is_read_once_per_version_and_again_when_its_text_changes()
    {
        var spec = new ConfigSpec("VirtualService/spec-views/reviews", "spec-views", """{"hosts": ["reviews"], "http": []}""");
        var pushedAgain = spec with { };
        var changed = spec with { SpecJson = """{"hosts": ["ratings"], "http": []}""" };

        var first = SpecViews.VirtualService(spec);
        Assert.Same(first, SpecViews.VirtualService(pushedAgain));
        Assert.NotSame(first, SpecViews.VirtualService(changed));
        Assert.Equal(["ratings"], SpecViews.VirtualService(changed).Hosts);
    }
}
