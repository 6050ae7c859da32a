using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Config.Manifests;

namespace Mesh.Config.Tests.Manifests;

public class ManifestParserTests
{
    [Theory]
    [InlineData("v: 9080", JsonValueKind.Number)]
    [InlineData("v: \"9080\"", JsonValueKind.String)]
    [InlineData("v: '9080'", JsonValueKind.String)]
    [InlineData("v: true", JsonValueKind.True)]
    [InlineData("v: False", JsonValueKind.False)]
    [InlineData("v: 1.5", JsonValueKind.Number)]
    [InlineData("v: 0x1F", JsonValueKind.Number)]
    [InlineData("v: yes", JsonValueKind.String)]
    [InlineData("v: !!str 80", JsonValueKind.String)]
    [InlineData("v: !!int \"80\"", JsonValueKind.Number)]
    public void Parse_Scalar_FollowsTheYaml12CoreSchema(string yaml, JsonValueKind expected)
    {
        var root = Assert.Single(ManifestParser.Parse(yaml)).Root!;
        Assert.Equal(expected, root["v"]!.GetValueKind());
    }

    [Theory]
    [InlineData("v: null")]
    [InlineData("v: ~")]
    [InlineData("v:")]
    public void Parse_NullScalar_IsJsonNull(string yaml)
    {
        var root = Assert.Single(ManifestParser.Parse(yaml)).Root!;
        Assert.True(root.ContainsKey("v"));
        Assert.Null(root["v"]);
    }

    [Fact]
    public void Parse_MultiDocument_SkipsEmptyDocumentsAndNumbersLines()
    {
        var documents = ManifestParser.Parse("---\na: 1\n---\n# only a comment\n---\n\n---\nb: 2\n");
        Assert.Equal(2, documents.Count);
        Assert.Equal([0, 1], documents.Select(d => d.Index));
        Assert.Equal(1, documents[0].Line);
        Assert.Equal(7, documents[1].Line);
    }

    [Fact]
    public void Parse_BrokenDocument_DoesNotTakeItsNeighboursDown()
    {
        var documents = ManifestParser.Parse("a: 1\n---\nb: [\n---\nc: 3\n");
        Assert.Equal(3, documents.Count);
        Assert.True(documents[0].IsValid);
        Assert.False(documents[1].IsValid);
        Assert.Matches("^line [34], column [0-9]+: ", documents[1].Errors[0].Reason);
        Assert.True(documents[2].IsValid);
    }

    [Fact]
    public void Parse_DuplicateKey_ReportsLineAndColumn()
    {
        var error = Assert.Single(Assert.Single(ManifestParser.Parse("a: 1\nb:\n  c: 1\n  c: 2\n")).Errors);
        Assert.Equal("line 4, column 3: duplicate key \"c\"", error.Reason);
    }

    [Fact]
    public void Parse_KeepsKeyOrder()
    {
        var root = Assert.Single(ManifestParser.Parse("z: 1\na: 2\nm: 3\n")).Root!;
        Assert.Equal(["z", "a", "m"], root.Select(p => p.Key));
    }

    [Fact]
    public void Parse_JsonArrayOfObjects_IsExpandedIntoDocuments()
    {
        var documents = ManifestParser.Parse("[{\"a\": 1}, {\"b\": 2}]");
        Assert.Equal(2, documents.Count);
        Assert.All(documents, d => Assert.True(d.IsValid));
    }

    [Theory]
    [InlineData("\r", "U+000D")]
    [InlineData("\u0085", "U+0085")]
    [InlineData("\u2028", "U+2028")]
    [InlineData("\u2029", "U+2029")]
    public void Parse_LineBreaksTheSplitterDoesNotSee_AreRefusedBeforeAnythingIsRead(string lineBreak, string named)
    {
        // YAML breaks lines at these too: 50,000 documents separated by them would be one chunk to the document count.
        var text = string.Concat(Enumerable.Repeat($"a: 1{lineBreak}---{lineBreak}", 50_000));

        var error = Assert.Single(Assert.Single(ManifestParser.Parse(text)).Errors);

        Assert.Contains($"a line break other than LF or CRLF ({named}) is not allowed", error.Reason);
        Assert.StartsWith("line 1, column 5:", error.Reason);
    }

    [Fact]
    public void Parse_CrLfLineEnds_AreRead()
        => Assert.Equal(2, ManifestParser.Parse("a: 1\r\n---\r\nb: 2\r\n").Count);

    [Fact]
    public void Parse_ManyTinyDocumentsEndedByDots_IsRefusedWholeWithOneError()
    {
        // The shape: 110,000 documents in 990 KB, each ended by "...", which slipped past the 1,000-document limit.
        var text = string.Concat(Enumerable.Repeat("a: 1\n...\n", 110_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var documents = ManifestParser.Parse(text);
        watch.Stop();
        var error = Assert.Single(Assert.Single(documents).Errors);
        Assert.Equal("line 2001: more than 1000 documents in one manifest (it has 110000); split it into several manifests", error.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("a: 1\n...\nb: 2\n...\nc: 3\n", 3)]
    [InlineData("a: 1\n---\nb: 2\n...\nc: 3\n", 3)]
    [InlineData("--- {a: 1}\n--- {b: 2}\n--- {c: 3}\n", 3)]
    [InlineData("---\na: 1\n...\n---\nb: 2\n...\n---\nc: 3\n...\n", 3)]
    [InlineData("---\n# nothing\n...\n---\n---\na: 1\n...\n# trailing\n", 1)]
    public void Parse_DocumentsAreCountedAtEverySeparator(string text, int expected)
    {
        // A document is counted once, whether it is opened by "---", closed by "...", both, or bare after "...".
        Assert.Equal(expected, ManifestParser.Parse(text).Count(d => d.IsValid));
        var refused = Assert.Single(ManifestParser.Parse(text, new ManifestLimits { MaxDocuments = expected - 1 }));
        Assert.Contains($"more than {expected - 1} documents", Assert.Single(refused.Errors).Reason);
    }

    [Fact]
    public void Parse_ListExpandingPastTheLimit_StopsWithOneError()
    {
        var text = "[{\"a\": 1}, {\"a\": 2}, {\"a\": 3}]\n---\n[{\"b\": 1}, {\"b\": 2}]\n";
        var documents = ManifestParser.Parse(text, new ManifestLimits { MaxDocuments = 2 });
        Assert.Equal(3, documents.Count);
        Assert.Single(documents, d => !d.IsValid);
        Assert.Contains("more than 2 documents", documents[^1].Errors.Single().Reason);
    }

    [Fact]
    public void Parse_TooManyDocuments_IsAnError()
    {
        var documents = ManifestParser.Parse("a: 1\n---\nb: 2\n---\nc: 3\n", new ManifestLimits { MaxDocuments = 2 });
        Assert.Contains("more than 2 documents", documents[^1].Errors.Single().Reason);
    }

    [Fact]
    public void Parse_DocumentLargerThanLimit_IsAnError()
    {
        var documents = ManifestParser.Parse("a: " + new string('x', 2000), new ManifestLimits { MaxDocumentBytes = 1000 });
        Assert.Contains("larger than the limit of 1000", Assert.Single(documents).Errors.Single().Reason);
    }

    [Fact]
    public void Parse_ManifestLargerThanLimit_IsAnError()
    {
        var documents = ManifestParser.Parse(new byte[2000], new ManifestLimits { MaxManifestBytes = 1000 });
        Assert.Contains("manifest of 2000 bytes", Assert.Single(documents).Errors.Single().Reason);
    }

    [Fact]
    public void Parse_RootNotAMap_IsAnError()
    {
        Assert.Contains("must be a mapping", Assert.Single(ManifestParser.Parse("- 1\n- 2\n")).Errors.Single().Reason);
    }

    [Fact]
    public void Parse_Utf8Bom_IsIgnored()
    {
        Assert.True(Assert.Single(ManifestParser.Parse([0xEF, 0xBB, 0xBF, (byte)'a', (byte)':', (byte)' ', (byte)'1'])).IsValid);
    }

    [Fact]
    public void Parse_AliasesWithinLimits_AreExpanded()
    {
        var root = Assert.Single(ManifestParser.Parse("a: &x {b: 1}\nc: *x\n")).Root!;
        Assert.True(JsonNode.DeepEquals(root["a"], root["c"]));
    }
}
