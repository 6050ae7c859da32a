using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Validation;

namespace Mesh.Config.Tests.Validation.Schemas;

/// <summary>Validates one spec, written as relaxed JSON, of a kind, for the per-rule table tests.</summary>
internal static class Specs
{
    public static ValidationResult Validate(string kind, string spec)
    {
        var type = ResourceKinds.FromKindName(kind) ?? throw new ArgumentException($"unknown kind {kind}");
        var root = new JsonObject
        {
            ["apiVersion"] = type.PreferredApiVersion,
            ["kind"] = type.ManifestKind,
            ["metadata"] = new JsonObject { ["name"] = "x", ["namespace"] = "default" },
            ["spec"] = JsonNode.Parse(spec, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = true }),
        };
        return ResourceValidator.Validate(root);
    }

    /// <summary>Asserts that validation refuses the spec with an error at <paramref name="path"/> whose reason contains <paramref name="reason"/>.</summary>
    public static void AssertRefused(string kind, string spec, string path, string reason)
    {
        var result = Validate(kind, spec);
        Assert.False(result.IsValid, $"accepted: {spec}");
        Assert.True(result.Errors.Any(e => e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal)),
            $"expected \"{path}: {reason}\" among: {string.Join(" | ", result.Errors)}");
    }

    public static void AssertValid(string kind, string spec)
    {
        var result = Validate(kind, spec);
        Assert.True(result.IsValid, $"{spec}: {string.Join(" | ", result.Errors)}");
    }
}
