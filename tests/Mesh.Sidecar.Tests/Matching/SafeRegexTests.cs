using System.Diagnostics;
using System.Text.RegularExpressions;
using Mesh.Sidecar.Matching;

namespace Mesh.Sidecar.Tests.Matching;

public sealed class SafeRegexTests
{
    [Theory]
    [InlineData("^/r/(a+)+$")]
    [InlineData("(x+x+)+y")]
    [InlineData("(a|aa)*b")]
    [InlineData(".*")]
    public void Every_regex_is_built_on_the_linear_engine(string pattern)
    {
        Assert.True(SafeRegex.WholeString(pattern, out _)!.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.True(SafeRegex.Search(pattern, out _)!.Options.HasFlag(RegexOptions.NonBacktracking));
    }

    [Fact]
    public void A_catastrophic_pattern_against_a_crafted_path_costs_no_more_than_a_plain_one()
    {
        // On a backtracking engine this input takes 2^30 steps (seconds); linear time makes it microseconds.
        var rewrite = SafeRegex.Search("^/r/(a+)+$", out _)!;
        var matcher = SafeRegex.WholeString("/r/(a+)+", out _)!;
        var crafted = "/r/" + new string('a', 30) + "!";
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(crafted, rewrite.Replace(crafted, "/x"));
            Assert.DoesNotMatch(matcher, crafted);
        }
        // A backtracking engine needs seconds for one match and so minutes for 100; the bound leaves room for a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"100 matches took {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData("a)|(b")]
    [InlineData("(a")]
    public void A_pattern_that_does_not_parse_alone_is_refused(string pattern)
        => Assert.Null(SafeRegex.WholeString(pattern, out _));

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "xabcx", false)]
    [InlineData("a|b", "ab", false)]
    [InlineData("abc$", "abc\n", false)]
    // RE2's \d, \w and \s are ASCII: an Arabic-Indic three or an accented letter is neither, in or out of a class.
    [InlineData(@"\d+", "42", true)]
    [InlineData(@"\d", "\u0663", false)]
    [InlineData(@"\D", "\u0663", true)]
    [InlineData(@"[\w-]+", "caf\u00e9", false)]
    [InlineData(@"\w+", "a_1", true)]
    [InlineData(@"\s", "\u00a0", false)]
    public void Matchers_match_the_whole_string_as_Envoys_do(string pattern, string input, bool matches)
        => Assert.Equal(matches, SafeRegex.WholeString(pattern, out _)!.IsMatch(input));

    // RE2's limits (re2/parse.cc: kMaxRepeat 1000, applied to each count and to the product of nested counts), which
    // Envoy's RE2 refuses with "bad repetition operator"; and the constructs RE2 does not have.
    [Theory]
    [InlineData("a{1000}", null)]
    [InlineData("a{1001}", "bad repetition operator {1001}")]
    [InlineData("a{2,1001}", "bad repetition operator {2,1001}")]
    [InlineData("a{1001,}", "bad repetition operator {1001,}")]
    [InlineData("a{99999999999}", "bad repetition operator {99999999999}")]
    [InlineData("(a{10}){100}", null)]
    [InlineData("(a{10}){101}", "multiply to more than 1000")]
    [InlineData("((a{10}){10}){11}", "multiply to more than 1000")]
    [InlineData("(?:ab{500}|c){2}", null)]
    [InlineData("(?:ab{501}|c){2}", "multiply to more than 1000")]
    [InlineData("[{]{2000}", "bad repetition operator {2000}")]
    [InlineData(@"\{2000}", null)]
    [InlineData("a{,5}", null)]
    [InlineData("x{", null)]
    [InlineData("(?=a)a", "RE2 does not support lookahead")]
    [InlineData("(a)\\1", "RE2 does not support backreferences")]
    [InlineData("(?>a)", "RE2 does not support an atomic group")]
    [InlineData("[[:^digit:]]", "POSIX class [:^digit:]")]
    public void Re2_limits_are_the_validators(string pattern, string? problem)
    {
        var regex = SafeRegex.WholeString(pattern, out var reason);

        if (problem is null) Assert.NotNull(regex);
        else
        {
            Assert.Null(regex);
            Assert.Contains(problem, reason);
        }
    }

    [Fact]
    public void A_pattern_longer_than_the_validator_allows_is_refused()
        => Assert.Null(SafeRegex.WholeString(new string('a', Mesh.Config.Validation.Rules.Re2.MaxLength + 1), out _));

    [Theory]
    [InlineData("(?P<id>[0-9]+)", "42", true)]
    [InlineData(@"\pL+", "caf\u00e9", true)]
    [InlineData(@"\PL+", "123", true)]
    [InlineData("[[:digit:]]+", "123", true)]
    [InlineData("[[:digit:]]+", "12a", false)]
    [InlineData("[^[:alpha:]]+", "123", true)]
    [InlineData("[]a]+", "]a", true)]
    public void Re2_spellings_run_as_RE2_runs_them(string pattern, string input, bool matches)
        => Assert.Equal(matches, SafeRegex.WholeString(pattern, out _)!.IsMatch(input));
}
