using System.Text.Json.Nodes;
using Mesh.Config.Manifests;

namespace Mesh.Config.Tests.Manifests;

public class ManifestWriterTests
{
    public static TheoryData<string> ValidDocuments => Documents.Data("valid");

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void ToYaml_ThenParse_GivesTheSameDocuments(string file)
    {
        var original = ManifestParser.Parse(Documents.Read("valid", file)).Select(d => d.Root!).ToList();
        var yaml = ManifestWriter.ToYaml(original);
        var reread = ManifestParser.Parse(yaml).Select(d => d.Root).ToList();
        Assert.Equal(original.Count, reread.Count);
        for (var i = 0; i < original.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(original[i], reread[i]), $"{file} document {i}:\n{yaml}");
        }
    }

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void ToJson_ThenParse_GivesTheSameDocument(string file)
    {
        foreach (var document in ManifestParser.Parse(Documents.Read("valid", file)))
        {
            var reread = Assert.Single(ManifestParser.Parse(ManifestWriter.ToJson(document.Root!)));
            Assert.True(JsonNode.DeepEquals(document.Root, reread.Root));
        }
    }

    [Fact]
    public void ToYaml_QuotesStringsThatWouldReadAsOtherTypes()
    {
        var node = new JsonObject
        {
            ["port"] = "9080", ["flag"] = "true", ["none"] = "null", ["empty"] = "", ["yes"] = "yes", ["colon"] = "a: b",
            ["star"] = "*", ["lead"] = " x", ["multi"] = "a\nb", ["number"] = 9080, ["nested"] = new JsonArray(new JsonArray(1, "2"), new JsonObject()),
        };
        var yaml = ManifestWriter.ToYaml([node]);
        Assert.Contains("port: \"9080\"", yaml);
        Assert.Contains("number: 9080", yaml);
        Assert.True(JsonNode.DeepEquals(node, ManifestParser.Parse(yaml).Single().Root));
    }

    [Fact]
    public void ToYaml_KeepsKeyOrderAndSeparatesDocuments()
    {
        var yaml = ManifestWriter.ToYaml([new JsonObject { ["b"] = 1, ["a"] = 2 }, new JsonObject { ["c"] = 3 }]);
        Assert.Equal("b: 1\na: 2\n---\nc: 3\n", yaml);
    }
}
