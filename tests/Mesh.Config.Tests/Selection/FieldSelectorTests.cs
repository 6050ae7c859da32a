using Mesh.Config.Selection;

namespace Mesh.Config.Tests.Selection;

public sealed class FieldSelectorTests
{
    [Theory]
    [InlineData("metadata.name=reviews", true)]
    [InlineData("metadata.name==reviews", true)]
    [InlineData("metadata.name!=reviews", false)]
    [InlineData("metadata.name=ratings", false)]
    [InlineData("metadata.namespace=bookinfo", true)]
    [InlineData("metadata.namespace!=test,metadata.name=reviews", true)]
    [InlineData("metadata.namespace=test,metadata.name=reviews", false)]
    [InlineData("metadata.name=", false)]
    [InlineData("", true)]
    public void Matches_ComparesNameAndNamespace(string selector, bool expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches("bookinfo", "reviews"));
    }

    [Fact]
    public void OnlyNamespace_IsTheNamespaceAnEqualityNames()
    {
        Assert.Equal("bookinfo", FieldSelector.Parse("metadata.name!=x,metadata.namespace=bookinfo").OnlyNamespace);
        Assert.Null(FieldSelector.Parse("metadata.namespace!=bookinfo").OnlyNamespace);
    }

    [Theory]
    [InlineData("spec.hosts=reviews", 1, "expected metadata.name or metadata.namespace")]
    [InlineData("metadata.name in (a)", 15, "expected =, == or !=")]
    [InlineData("metadata.name=a b", 17, "expected ',' or the end")]
    [InlineData("metadata.name=a,", 17, "found the end")]
    public void Parse_Malformed_SaysWhereAndWhy(string selector, int position, string reason)
    {
        var error = Assert.Throws<SelectorException>(() => FieldSelector.Parse(selector));

        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Reason);
    }
}
