using Mesh.Sidecar.Matching;

namespace Mesh.Sidecar.Tests.Matching;

/// <summary>Envoy's ignore_case folds A-Z only: any other character, non-ASCII included, must be the same.</summary>
public sealed class AsciiCaseTests
{
    [Theory]
    [InlineData("Hello", "hello", true)]
    [InlineData("HELLO", "hello", true)]
    [InlineData("hello", "hello", true)]
    [InlineData("hell", "hello", false)]
    [InlineData("hellO!", "hello!", true)]
    [InlineData("ÉTÉ", "été", false)]
    [InlineData("été", "été", true)]
    [InlineData("\u017F", "s", false)]
    [InlineData("[", "{", false)]
    [InlineData("@", "`", false)]
    [InlineData("", "", true)]
    public void Equals_folds_ASCII_letters_only(string value, string folded, bool equal)
        => Assert.Equal(equal, AsciiCase.Equals(value, folded));

    [Theory]
    [InlineData("/API/v1", "/api", true, false, true)]
    [InlineData("/v1/ITEMS", "items", false, true, true)]
    [InlineData("/v1/Items/x", "items", false, false, true)]
    [InlineData("ab", "abc", false, false, false)]
    [InlineData("xAbCx", "abc", false, false, true)]
    [InlineData("xAbx", "abc", false, false, false)]
    [InlineData("anything", "", true, true, true)]
    public void Prefix_suffix_and_contains_compare_without_a_folded_copy(string value, string folded, bool prefix, bool suffix, bool contains)
        => Assert.Equal((prefix, suffix, contains), (AsciiCase.StartsWith(value, folded), AsciiCase.EndsWith(value, folded), AsciiCase.Contains(value, folded)));

    [Fact]
    public void ToLower_returns_an_already_lower_value_itself()
    {
        var value = "already-lower/Été";

        Assert.Same(value, AsciiCase.ToLower(value));
        Assert.Equal("mixed-case/ÉtÉ", AsciiCase.ToLower("MiXeD-CaSe/ÉTÉ"));
    }
}
