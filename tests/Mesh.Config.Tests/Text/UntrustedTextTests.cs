using Mesh.Config.Text;

namespace Mesh.Config.Tests.Text;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("reviews", "reviews")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\r\nb", @"a\r\nb")]
    [InlineData("a\tb", @"a\tb")]
    [InlineData("\u001b[31mred", @"\x1b[31mred")]
    [InlineData("nul\0", @"nul\x00")]
    [InlineData("del\u007f", @"del\x7f")]
    [InlineData("c1\u0085\u009b", @"c1\u0085\u009b")]
    [InlineData("line\u2028para\u2029", @"line\u2028para\u2029")]
    [InlineData("admin\u202egnp.exe", @"admin\u202egnp.exe")]
    [InlineData(@"back\slash", @"back\slash")]
    [InlineData("ünïcödé 名前", "ünïcödé 名前")]
    public void Escape_ShowsEveryControlCharacterEscaped(string text, string shown)
    {
        Assert.Equal(shown, UntrustedText.Escape(text));
    }

    [Fact]
    public void Escape_Twice_SameAsOnce()
    {
        var once = UntrustedText.Escape("x\n\u001b[2J\u202e");

        Assert.Equal(once, UntrustedText.Escape(once));
        Assert.DoesNotContain(once, char.IsControl);
    }
}
