using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Patching;

namespace Mesh.Kubernetes.Fake.Tests.Patching;

public sealed class PatchTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"c":2}}""", """{"b":{"c":null,"d":3}}""", """{"a":1,"b":{"d":3}}""")]
    [InlineData("""{"l":[1,2]}""", """{"l":[3]}""", """{"l":[3]}""")] // lists are replaced
    [InlineData("""{"a":1}""", """{"a":null}""", """{}""")]
    public void MergePatch_FollowsRfc7386(string target, string patch, string expected) =>
        AssertJson(expected, MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch)));

    [Theory]
    // what kubectl apply sends when a Service's port changes: the old port deleted by its merge key
    [InlineData("""{"ports":[{"name":"http","port":9080}]}""",
        """{"$setElementOrder/ports":[{"port":9081}],"ports":[{"name":"http","port":9081},{"$patch":"delete","port":9080}]}""",
        """{"ports":[{"name":"http","port":9081}]}""")]
    // containers merge by name; an unnamed list (args) is replaced
    [InlineData("""{"containers":[{"name":"app","image":"a:1","args":["x"]},{"name":"side","image":"s"}]}""",
        """{"containers":[{"name":"app","image":"a:2","args":["y"]}]}""",
        """{"containers":[{"name":"app","image":"a:2","args":["y"]},{"name":"side","image":"s"}]}""")]
    // container ports merge on containerPort
    [InlineData("""{"ports":[{"containerPort":80,"name":"a"}]}""", """{"ports":[{"containerPort":81}]}""",
        """{"ports":[{"containerPort":80,"name":"a"},{"containerPort":81}]}""")]
    [InlineData("""{"m":{"a":1,"b":2}}""", """{"m":{"$patch":"replace","c":3}}""", """{"m":{"c":3}}""")]
    [InlineData("""{"m":{"a":1,"b":2}}""", """{"m":{"$retainKeys":["b"],"b":5}}""", """{"m":{"b":5}}""")]
    [InlineData("""{"finalizers":["a","b"]}""", """{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"]}""", """{"finalizers":["b","c"]}""")]
    [InlineData("""{"labels":{"a":"1"}}""", """{"labels":{"a":null,"b":"2"}}""", """{"labels":{"b":"2"}}""")]
    public void StrategicMergePatch_MergesListsOnTheirKeys(string target, string patch, string expected) =>
        AssertJson(expected, StrategicMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch)));

    [Theory]
    [InlineData("""{"a":{"b":[1,3]}}""", """[{"op":"add","path":"/a/b/1","value":2}]""", """{"a":{"b":[1,2,3]}}""")]
    [InlineData("""{"a":{"b":[1]}}""", """[{"op":"add","path":"/a/b/-","value":2}]""", """{"a":{"b":[1,2]}}""")]
    [InlineData("""{"metadata":{"labels":{"x/y":"1"}}}""", """[{"op":"replace","path":"/metadata/labels/x~1y","value":"2"}]""", """{"metadata":{"labels":{"x/y":"2"}}}""")]
    [InlineData("""{"a":1,"b":2}""", """[{"op":"remove","path":"/a"},{"op":"move","from":"/b","path":"/c"}]""", """{"c":2}""")]
    [InlineData("""{"a":1}""", """[{"op":"copy","from":"/a","path":"/b"},{"op":"test","path":"/b","value":1}]""", """{"a":1,"b":1}""")]
    public void JsonPatch_FollowsRfc6902(string target, string patch, string expected) =>
        AssertJson(expected, JsonPatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch)!.AsArray()));

    [Theory]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", "does not exist")]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""", "test failed")]
    [InlineData("""[{"op":"jump","path":"/a"}]""", "unknown op")]
    [InlineData("""[{"op":"add","path":"a","value":2}]""", "does not start with '/'")]
    public void JsonPatch_FailedOperation_FailsTheWholePatchAs422(string patch, string reason)
    {
        var error = Assert.Throws<ApiError>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse(patch)!.AsArray()));
        Assert.Equal(422, error.Code);
        Assert.Contains(reason, error.Message);
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");
}
