using System.Diagnostics;
using System.Text;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;

namespace Mesh.Config.Tests.Manifests;

/// <summary>Malformed and hostile manifests: each must come back as errors with a reason, never as an exception, and fast.</summary>
public class HostileInputTests
{
    private static readonly ManifestLimits Limits = ManifestLimits.Default;

    public static IEnumerable<(string Name, byte[] Bytes, bool MustFail)> Corpus()
    {
        var valid = Documents.Names("valid").Select(n => (Name: n, Text: Documents.Read("valid", n))).ToList();
        foreach (var (name, text) in valid)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            // Truncations may still be valid YAML (a cut at a line end); they must only not throw.
            for (var cut = 1; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 12))
            {
                yield return ($"{name} cut at {cut}", bytes[..cut], false);
            }
            yield return ($"{name} with NUL", Insert(bytes, bytes.Length / 2, [0]), true);
            yield return ($"{name} with invalid UTF-8", Insert(bytes, bytes.Length / 3, [0xC3, 0x28]), true);
            yield return ($"{name} with a lone continuation byte", Insert(bytes, bytes.Length / 4, [0x80]), true);
            yield return ($"{name} with a surrogate encoded", Insert(bytes, 5, [0xED, 0xA0, 0x80]), true);
            yield return ($"{name} as a list", Encoding.UTF8.GetBytes("- " + text.Replace("\n", "\n  ")), false);
        }
        yield return ("10 MB string", Encoding.UTF8.GetBytes("apiVersion: a\nkind: b\nx: " + new string('a', 10 * 1024 * 1024)), true);
        yield return ("nesting 10 000 flow", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), true);
        yield return ("nesting 10 000 maps", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000)), true);
        yield return ("nesting 10 000 block", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 10_000).Select(i => new string(' ', i) + "a:\n"))), true);
        yield return ("billion laughs", Encoding.UTF8.GetBytes(BillionLaughs()), true);
        yield return ("string alias bomb", Encoding.UTF8.GetBytes(StringBomb()), true);
        yield return ("unknown alias", "a: *nothing\n"u8.ToArray(), true);
        yield return ("huge integer", Encoding.UTF8.GetBytes("apiVersion: x\nn: " + new string('9', 400) + "\n"), true);
        yield return ("huge float", "apiVersion: x\nn: 1e999\n"u8.ToArray(), true);
        yield return ("duplicate keys", "a: 1\nb: 2\na: 3\n"u8.ToArray(), true);
        yield return ("scalar root", "just a string\n"u8.ToArray(), true);
        yield return ("number root", "42\n"u8.ToArray(), true);
        yield return ("complex key", "? [a, b]\n: c\n"u8.ToArray(), true);
        yield return ("python tag", "a: !!python/object/apply:os.system ['ls']\n"u8.ToArray(), true);
        yield return ("local tag", "a: !custom x\n"u8.ToArray(), true);
        yield return ("tabs", "a:\n\tb: 1\n"u8.ToArray(), true);
        yield return ("unclosed quote", "a: \"never ends\n"u8.ToArray(), true);
        yield return ("unclosed flow", "a: [1, 2\n"u8.ToArray(), true);
        yield return ("too many documents", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a: 1\n---\n", 1200))), true);
        yield return ("directive junk", "%YAML 9.9\n--- a\n"u8.ToArray(), true);
        var random = new Random(1234);
        for (var i = 0; i < 150; i++)
        {
            var junk = new byte[random.Next(1, 400)];
            random.NextBytes(junk);
            yield return ($"random bytes #{i}", junk, false);
        }
        for (var i = 0; i < 100; i++)
        {
            // Printable junk gets further into the YAML scanner than random bytes do.
            const string alphabet = ":-[]{}&*!|>'\"%@#?,\n ab1\t";
            var chars = Enumerable.Range(0, random.Next(1, 200)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            yield return ($"yaml punctuation #{i}", Encoding.UTF8.GetBytes(chars), false);
        }
        foreach (var (name, text) in valid)
        {
            // Only the first document of each file is swapped; the others stay valid, so the whole file must report an error.
            var specSwapped = ReplaceFirst(text, "spec:\n", "spec: [1, 2]\nignored:\n");
            if (specSwapped != text) yield return ($"{name} spec as a list", Encoding.UTF8.GetBytes(specSwapped), true);
            var metadataSwapped = ReplaceFirst(text, "metadata:\n", "metadata: 7\nignored:\n");
            if (metadataSwapped != text) yield return ($"{name} metadata as a number", Encoding.UTF8.GetBytes(metadataSwapped), true);
        }
    }


    [Fact]
    public void Corpus_HasAtLeast500Cases() => Assert.True(Corpus().Count() >= 500, $"only {Corpus().Count()} cases");

    [Fact]
    public void EveryCase_ReportsReasonsAndNeverThrows()
    {
        var failures = new List<string>();
        foreach (var (name, bytes, mustFail) in Corpus())
        {
            var watch = Stopwatch.StartNew();
            var errors = ParseAndValidate(bytes);
            watch.Stop();
            if (mustFail && errors.Count == 0) failures.Add($"{name}: no error");
            if (errors.Any(e => string.IsNullOrWhiteSpace(e.Reason))) failures.Add($"{name}: an error without a reason");
            if (watch.Elapsed > TimeSpan.FromSeconds(2)) failures.Add($"{name}: took {watch.Elapsed}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void AliasBomb_StopsAtTheNodeLimit()
    {
        var documents = ManifestParser.Parse(BillionLaughs());
        var error = Assert.Single(Assert.Single(documents).Errors);
        Assert.Contains("more than 100000 nodes", error.Reason);
    }

    [Fact]
    public void DeepNesting_StopsAtTheDepthLimit()
    {
        var documents = ManifestParser.Parse(new string('[', 10_000) + new string(']', 10_000));
        Assert.Contains("deeper than the limit of 64", Assert.Single(Assert.Single(documents).Errors).Reason);
    }

    [Fact]
    public void LongString_IsRefusedByTheStringLimit()
    {
        var limits = new ManifestLimits { MaxManifestBytes = 32 << 20, MaxDocumentBytes = 32 << 20 };
        var documents = ManifestParser.Parse("a: " + new string('x', 10 * 1024 * 1024), limits);
        Assert.Contains("longer than the limit", Assert.Single(Assert.Single(documents).Errors).Reason);
    }

    [Fact]
    public void InvalidUtf8_NamesLineAndColumn()
    {
        var bytes = "a: 1\nb: x"u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).ToArray();
        var error = Assert.Single(Assert.Single(ManifestParser.Parse(bytes)).Errors);
        Assert.StartsWith("line 2, column 5: invalid UTF-8", error.Reason);
    }

    private static List<FieldError> ParseAndValidate(byte[] bytes)
    {
        var errors = new List<FieldError>();
        foreach (var document in ManifestParser.Parse(bytes, Limits))
        {
            errors.AddRange(document.Errors);
            if (document.Root is { } root) errors.AddRange(ResourceValidator.Validate(root, "default", document.Index).Errors);
        }
        return errors;
    }

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + replacement + text[(at + find.Length)..];
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] extra) => [.. bytes[..at], .. extra, .. bytes[at..]];

    private static string BillionLaughs()
    {
        var yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var c = 'b'; c <= 'i'; c++)
        {
            var previous = (char)(c - 1);
            yaml.Append($"{c}: &{c} [{string.Join(",", Enumerable.Repeat($"*{previous}", 9))}]\n");
        }
        return yaml.ToString();
    }

    private static string StringBomb()
        => "a: &a \"" + new string('x', 100_000) + "\"\nb: [" + string.Join(",", Enumerable.Repeat("*a", 5000)) + "]\n";
}
