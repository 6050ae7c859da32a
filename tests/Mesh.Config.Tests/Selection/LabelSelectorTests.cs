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
    public void Parse_Malformed_ThrowsFormatExceptionQuotingTheSelector(string selector)
    {
        var error = Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

        Assert.Contains(selector, error.Message);
    }
}
