using System.Text.Json.Nodes;
using Mesh.Kubernetes.Crds;

namespace Mesh.Kubernetes.Tests.Crds;

/// <summary>The rules the API server sets for a structural schema (apiextensions.k8s.io/v1 refuses a CRD that breaks
/// them), checked on every node of every generated CRD.</summary>
public sealed class StructuralSchemaTests
{
    public static TheoryData<string> Kinds() => [.. CustomResourceDefinitions.Kinds.Select(k => k.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryNode_FollowsTheStructuralRules(string kind)
    {
        var crd = CustomResourceDefinitions.For(Config.Kinds.ResourceKinds.FromKindName(kind)!);
        var problems = new List<string>();
        foreach (var version in crd["spec"]!["versions"]!.AsArray())
        {
            var root = version!["schema"]!["openAPIV3Schema"]!.AsObject();
            if (root["type"]?.GetValue<string>() != "object") problems.Add("root: type must be object");
            if (root["properties"]?["metadata"] is not null) problems.Add("root: metadata must not be specified");
            Node(root, $"{version["name"]}", problems);
        }
        Assert.Empty(problems);
    }

    /// <summary>A node that specifies a value: it has a type (or keeps unknown fields), and never both properties and
    /// additionalProperties; its logical junctors only restate what it already says.</summary>
    private static void Node(JsonObject node, string path, List<string> problems)
    {
        var preserve = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        if (node["type"] is null && !preserve) problems.Add($"{path}: no type");
        if (node["properties"] is not null && node["additionalProperties"] is not null) problems.Add($"{path}: both properties and additionalProperties");
        if (node["additionalProperties"] is { } additional && additional is not JsonObject) problems.Add($"{path}: additionalProperties must be a schema");
        if (node["items"] is { } items && items is not JsonObject) problems.Add($"{path}: items must be one schema");
        if (node["type"]?.GetValue<string>() == "array" && node["items"] is null) problems.Add($"{path}: an array needs items");
        var properties = node["properties"] as JsonObject;
        foreach (var (name, child) in properties ?? []) Node(child!.AsObject(), $"{path}.{name}", problems);
        if (node["items"] is JsonObject itemSchema) Node(itemSchema, $"{path}[]", problems);
        if (node["additionalProperties"] is JsonObject valueSchema) Node(valueSchema, $"{path}{{}}", problems);
        foreach (var (junctor, branch) in Junctors(node)) Junctor(branch, properties, $"{path}.{junctor}", problems);
    }

    /// <summary>Inside allOf/anyOf/oneOf/not only value validations: no type, additionalProperties, description,
    /// default, nullable or x-kubernetes-*, and no field the node itself does not declare.</summary>
    private static void Junctor(JsonObject branch, JsonObject? properties, string path, List<string> problems)
    {
        foreach (var (keyword, _) in branch)
        {
            if (keyword is "type" or "additionalProperties" or "description" or "default" or "nullable" || keyword.StartsWith("x-kubernetes-", StringComparison.Ordinal))
            {
                problems.Add($"{path}: {keyword} is not allowed inside a junctor");
            }
        }
        foreach (var required in branch["required"] as JsonArray ?? [])
        {
            if (properties?[required!.GetValue<string>()] is null) problems.Add($"{path}: requires {required}, which the node does not declare");
        }
        foreach (var (junctor, inner) in Junctors(branch)) Junctor(inner, properties, $"{path}.{junctor}", problems);
    }

    private static IEnumerable<(string, JsonObject)> Junctors(JsonObject node)
    {
        foreach (var junctor in new[] { "allOf", "anyOf", "oneOf" })
        {
            foreach (var branch in node[junctor] as JsonArray ?? []) yield return (junctor, branch!.AsObject());
        }
        if (node["not"] is JsonObject not) yield return ("not", not);
    }
}
