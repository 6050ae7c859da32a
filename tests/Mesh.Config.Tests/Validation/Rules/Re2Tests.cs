using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Tests.Validation.Rules;

/// <summary>The validator refuses what RE2 refuses (RE2's doc/syntax.txt; Istio validates with Go's regexp, which has the
/// same limits), so that no proxy NACKs a stored regex. Every refused row was accepted before issue 10.</summary>
public class Re2Tests
{
    [Theory]
    // RE2 and Go: a counted repetition above 1000, in either bound, is a "bad repetition operator".
    [InlineData("a{1001}", "bad repetition operator {1001}")]
    [InlineData("/a{2,1001}", "bad repetition operator {2,1001}")]
    [InlineData("a{1001,}", "bad repetition operator {1001,}")]
    [InlineData("a{0001001}", "bad repetition operator")]
    [InlineData("x{99999999999999999999}", "bad repetition operator")]
    // RE2's RepetitionWalker and Go's repeatIsValid: counts multiply through nesting.
    [InlineData("(a{100}){100}", "nested repetitions multiply to more than 1000")]
    [InlineData("((a{10}){10}){11}", "nested repetitions multiply to more than 1000")]
    [InlineData("(?:[a-z]{2}){501}", "nested repetitions multiply to more than 1000")]
    // Syntax .NET accepts and RE2 does not.
    [InlineData("(?'id'a)", "quoted group name")]
    [InlineData("(?x)a b", "flag 'x'")]
    [InlineData("(?n)(a)", "flag 'n'")]
    [InlineData("a\\e", "\\e")]
    [InlineData("\\cA", "\\cX")]
    [InlineData("\\u0041", "\\u")]
    [InlineData("[\\b]", "\\b in a character class")]
    [InlineData("[a-z-[aeiou]]", "character class subtraction")]
    [InlineData("(?<a-b>x)", "balancing groups")]
    // Backtracking-only constructs, named as RE2's syntax table names them (most were refused before too).
    [InlineData("(?>a)", "atomic group")]
    [InlineData("(?<=a)b", "lookbehind")]
    [InlineData("(?P=id)", "named backreference")]
    [InlineData("\\k<id>", "named backreference")]
    [InlineData("a\\Z", "\\Z (use \\z)")]
    public void Refused(string pattern, string reason) => Assert.Contains(reason, Re2.Check(pattern));

    [Fact]
    public void LongerThanIstiosLimit_IsRefused() => Assert.Contains("at most 1024 characters", Re2.Check(new string('a', 1025)));

    [Fact]
    public void Empty_IsRefused() => Assert.NotNull(Re2.Check(""));

    [Theory]
    [InlineData("a{1000}")]
    [InlineData("a{2,1000}")]
    [InlineData("(a{10}){100}")]
    [InlineData("(a{2}){500}")]
    [InlineData("a{0}(b{1000})")]
    [InlineData("a*(b+)*c?")]
    [InlineData("a{,5}")]
    [InlineData("a{x}")]
    [InlineData("\\++")]
    [InlineData("[*+]{2}")]
    [InlineData("(?i)abc")]
    [InlineData("(?i-s:a.b)")]
    [InlineData("(?P<id>[a-z]+)")]
    [InlineData("(?<id>[a-z]+)")]
    [InlineData("^/api/v[0-9]+/.*$")]
    public void Accepted(string pattern) => Assert.Null(Re2.Check(pattern));
}
