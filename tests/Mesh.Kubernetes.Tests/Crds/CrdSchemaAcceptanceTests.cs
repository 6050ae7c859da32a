using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Kubernetes.Crds;

namespace Mesh.Kubernetes.Tests.Crds;

/// <summary>What the API server lets through the generated schemas: every document Mesh's own tests hold valid, and not
/// a VirtualService whose fields have the wrong shape.</summary>
public sealed class CrdSchemaAcceptanceTests
{
    private const string VirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          gateways: [mesh]
          http:
          - match:
            - uri: {prefix: /api}
              headers:
                end-user: {exact: jason}
            timeout: 5s
            retries: {attempts: 3, perTryTimeout: 2s}
            route:
            - destination: {host: reviews, subset: v2, port: {number: 9080}}
              weight: 90
            - destination: {host: reviews, subset: v1}
              weight: 10
        """;

    [Fact]
    public void VirtualService_WellFormed_IsAccepted() => Assert.Empty(Check(VirtualService));

    [Theory]
    [InlineData("hosts: [reviews]", "hosts: reviews", "spec.hosts: expected array")]
    [InlineData("weight: 90", "weight: \"90\"", "spec.http[0].route[0].weight: expected integer")]
    [InlineData("weight: 90", "weight: 190", "spec.http[0].route[0].weight: above maximum")]
    [InlineData("timeout: 5s", "timeout: 5", "spec.http[0].timeout: expected string")]
    [InlineData("attempts: 3", "attempts: true", "spec.http[0].retries.attempts: expected integer")]
    [InlineData("{exact: jason}", "jason", "spec.http[0].match[0].headers.end-user: expected object")]
    [InlineData("subset: v1}", "subset: v1, sbuset: v2}", "spec.http[0].route[1].destination.sbuset: unknown field")]
    [InlineData("{prefix: /api}", "{prefix: /api, exact: /api}", "spec.http[0].match[0].uri: oneOf not satisfied")]
    [InlineData("- destination: {host: reviews, subset: v1}", "- {weight: 10}\n    - destination: {host: reviews, subset: v1}", "spec.http[0].route[1].destination: required")]
    public void VirtualService_WithAFieldOfTheWrongShape_IsRefusedAtThatField(string from, string to, string expected)
    {
        var yaml = VirtualService.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(VirtualService, yaml);
        Assert.Contains(expected, Check(yaml));
    }

    public static TheoryData<string> ValidDocuments() =>
        [.. Directory.GetFiles(Repository.PathOf("tests/Mesh.Config.Tests/Documents/valid"), "*.yaml").Select(Path.GetFileName).OfType<string>().Order()];

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void DocumentsMeshAccepts_TheCrdSchemaAcceptsToo(string file)
    {
        var text = File.ReadAllText(Repository.PathOf($"tests/Mesh.Config.Tests/Documents/valid/{file}"));
        foreach (var document in ManifestParser.Parse(text).Select(d => d.Root).OfType<JsonObject>())
        {
            foreach (var item in document["items"] is JsonArray items ? items.OfType<JsonObject>() : [document])
            {
                Assert.Empty(CheckDocument(item));
            }
        }
    }

    private static List<string> Check(string yaml) => CheckDocument(ManifestParser.Parse(yaml).Single().Root!);

    /// <summary>The errors of a document against the schema of its kind and version; none for kinds not generated here.</summary>
    private static List<string> CheckDocument(JsonObject document)
    {
        var apiVersion = document["apiVersion"]?.GetValue<string>() ?? "";
        var kind = ResourceKinds.FromDocument(apiVersion, document["kind"]?.GetValue<string>() ?? "");
        if (kind is null || !CustomResourceDefinitions.Kinds.Contains(kind)) return [];
        var version = CustomResourceDefinitions.For(kind)["spec"]!["versions"]!.AsArray()
            .Single(v => $"{kind.Group}/{v!["name"]!.GetValue<string>()}" == apiVersion)!;
        var schema = version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
        return SchemaShape.Check(document["spec"], schema, "spec");
    }
}
