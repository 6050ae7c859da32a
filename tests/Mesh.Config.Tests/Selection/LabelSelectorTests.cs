using Mesh.Config.Selection;

namespace Mesh.Config.Tests.Selection;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["app"] = "reviews",
        ["version"] = "v1",
        ["tier"] = "web",
        ["note"] = "",
        ["replicas"] = "3",
        ["example.com/owner"] = "shop",
    };

    [Theory]
    [InlineData("app=reviews", true)]
    [InlineData("app==reviews", true)]
    [InlineData(" app = reviews ", true)]
    [InlineData("app=ratings", false)]
    [InlineData("canary=true", false)]
    [InlineData("note=", true)]
    [InlineData("app!=ratings", true)]
    [InlineData("app!=reviews", false)]
    [InlineData("canary!=true", true)]
    [InlineData("tier", true)]
    [InlineData("canary", false)]
    [InlineData("!canary", true)]
    [InlineData("!tier", false)]
    [InlineData("version in (v1,v2)", true)]
    [InlineData("version in ( v2 , v1 )", true)]
    [InlineData("version in (v2,v3)", false)]
    [InlineData("canary in (true)", false)]
    [InlineData("version notin (v2,v3)", true)]
    [InlineData("version notin (v1)", false)]
    [InlineData("canary notin (true)", true)]
    [InlineData("app=reviews,version in (v1,v2),!canary", true)]
    [InlineData("app=reviews,tier=db", false)]
    [InlineData("version in (v1,)", true)]
    [InlineData("note in (,x)", true)]
    [InlineData("replicas>2", true)]
    [InlineData("replicas > 3", false)]
    [InlineData("replicas<4", true)]
    [InlineData("replicas<-1", false)]
    [InlineData("app>1", false)]
    [InlineData("canary<1", false)]
    [InlineData("example.com/owner=shop", true)]
    [InlineData("example.com/owner notin (shop)", false)]
    [InlineData("app=reviews , tier", true)]
    [InlineData("", true)]
    [InlineData("  ", true)]
    public void Matches_FollowsKubectlSemantics(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));
    }

    [Fact]
    public void Parse_Null_MatchesEverything()
    {
        Assert.True(LabelSelector.Parse(null).Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData(",")]
    [InlineData("app=reviews,")]
    [InlineData("app=reviews,,tier")]
    [InlineData("=reviews")]
    [InlineData("!=reviews")]
    [InlineData("!")]
    [InlineData("!app=reviews")]
    [InlineData("app reviews")]
    [InlineData("version in (v1")]
    [InlineData("version in v1")]
    [InlineData("version in ()")]
    [InlineData("version notin ( )")]
    [InlineData("in (v1)")]
    [InlineData("app)")]
    [InlineData("app=a=b")]
    [InlineData("replicas>two")]
    [InlineData("replicas>")]
    [InlineData("-app=x")]
    [InlineData("app=x_")]
    [InlineData("Example.com/owner=x")]
    public void Parse_Malformed_ThrowsFormatExceptionQuotingTheSelector(string selector)
    {
        var error = Assert.Throws<SelectorException>(() => LabelSelector.Parse(selector));

        Assert.Contains(selector, error.Message);
        Assert.InRange(error.Position, 1, selector.Length + 1);
    }

    [Theory]
    [InlineData("version in (v1", 15, "expected ',' or ')', found the end")]
    [InlineData("app reviews", 5, "expected an operator")]
    [InlineData("app=reviews,,tier", 13, "expected a label key, found ','")]
    [InlineData("app=re views", 8, "expected ',' or the end, found 'views'")]
    [InlineData("app=reviews,tier=-web", 18, "label value \"-web\"")]
    [InlineData("!app=x", 5, "'!app' takes no operator")]
    [InlineData("version in ()", 13, "at least one value")]
    [InlineData("tier,-x", 6, "is not a label key")]
    public void Parse_Malformed_SaysWhereAndWhy(string selector, int position, string reason)
    {
        var error = Assert.Throws<SelectorException>(() => LabelSelector.Parse(selector));

        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Reason);
        Assert.EndsWith($"at position {position}", error.Message);
    }
}
