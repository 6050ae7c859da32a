using Mesh.Kubernetes.Injection;

namespace Mesh.Kubernetes.Tests.Injection;

public sealed class JsonPointerTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("mesh.io/sidecar-status", "mesh.io~1sidecar-status")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~/", "~0~1")] // ~ first, so that the ~ of ~1 is not escaped again
    public void Escape_TildeThenSlash(string key, string escaped) => Assert.Equal(escaped, JsonPointer.Escape(key));

    [Fact]
    public void Of_JoinsSegments_NumbersAsIs() =>
        Assert.Equal("/metadata/annotations/a~1b/0", JsonPointer.Of("metadata", "annotations", "a/b", 0));
}
